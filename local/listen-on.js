// Preloaded into kinesis-local, which listens on every interface and has no option to say otherwise:
// a server that listens without an address, or on a wildcard one (0.0.0.0, ::), listens on the address
// in FLEETBENCH_LISTEN_ADDRESS instead. Without that variable nothing changes.
'use strict'
const net = require('net')

const address = process.env.FLEETBENCH_LISTEN_ADDRESS
if (address) {
  const listen = net.Server.prototype.listen
  const wildcard = (host) => host == null || host === '' || host === '0.0.0.0' || host === '::'
  const isPort = (value) => typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(value))
  net.Server.prototype.listen = function (...args) {
    const first = args[0]
    if (isPort(first)) {
      // listen(port[, host][, backlog][, callback])
      if (typeof args[1] === 'string') {
        if (wildcard(args[1])) args[1] = address
      } else {
        args.splice(1, 0, address)
      }
    } else if (first !== null && typeof first === 'object' && !(first instanceof net.Server)
        && first.path == null && first.handle == null && first.fd == null && wildcard(first.host)) {
      // listen(options[, callback]) on a TCP port
      args[0] = Object.assign({}, first, { host: address })
    }
    return listen.apply(this, args)
  }
}
