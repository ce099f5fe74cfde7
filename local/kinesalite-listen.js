// Starts kinesalite listening on one address. Its command line (node_modules/kinesalite/cli.js) has no
// host option and listens on every interface; this takes the options cli.js passes to kinesalite, and
// --host (default 127.0.0.1, this machine only). It also keeps kinesalite alive when a client aborts a
// request part-way (see below), which cli.js does not.
//
//   node kinesalite-listen.js [--host <address>] [--port <port>] [--path <dir>] [--ssl]
//        [--createStreamMs <ms>] [--deleteStreamMs <ms>] [--updateStreamMs <ms>] [--shardLimit <n>]
'use strict'
const { parseArgs } = require('util')
const kinesalite = require('kinesalite')

const NUMBERS = ['createStreamMs', 'deleteStreamMs', 'updateStreamMs', 'shardLimit']

function fail(message) {
  console.error('kinesalite-listen: ' + message)
  process.exit(2)
}

let values
try {
  values = parseArgs({
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '4567' },
      path: { type: 'string' },
      ssl: { type: 'boolean', default: false },
      createStreamMs: { type: 'string' },
      deleteStreamMs: { type: 'string' },
      updateStreamMs: { type: 'string' },
      shardLimit: { type: 'string' },
    },
  }).values
} catch (e) {
  fail(e.message)
}

const options = { ssl: values.ssl }
if (values.path) options.path = values.path
for (const name of NUMBERS) {
  if (values[name] != null) {
    if (!/^\d+$/.test(values[name])) fail('--' + name + ' must be a whole number, found "' + values[name] + '"')
    options[name] = Number(values[name])
  }
}
if (!/^\d+$/.test(values.port) || Number(values.port) < 1 || Number(values.port) > 65535) {
  fail('--port must be in [1, 65535], found "' + values.port + '"')
}

// As cli.js: if we are PID 1 (in a container), SIGINT would not end the process otherwise.
if (process.pid === 1) process.on('SIGINT', process.exit)

const server = kinesalite(options)

// kinesalite's request handler rethrows any error of the request stream (index.js:
// req.on('error', function(err) { throw err })): a client that aborts a request part-way through its body
// (a timeout, a reset) makes Node emit ECONNRESET "aborted" on it, the throw is uncaught and the process
// dies, after which every call gets "Connection refused". The handler adds that listener as it starts, so
// once it has returned the listener is swapped for one that lets the request go: its connection is gone,
// there is no one to answer, and Node has already destroyed the socket.
const [handle] = server.listeners('request')
server.removeAllListeners('request')
server.on('request', (req, res) => {
  handle(req, res)
  req.removeAllListeners('error')
  req.on('error', () => {})
})
server.on('error', (e) => {
  console.error('kinesalite-listen: cannot listen on ' + values.host + ':' + values.port + ': ' + e.message)
  process.exit(1)
})
server.listen(Number(values.port), values.host, () => {
  const address = server.address()
  console.log('Listening at %s://%s:%s', values.ssl ? 'https' : 'http', address.address, address.port)
})
