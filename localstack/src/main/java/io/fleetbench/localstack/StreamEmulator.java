package io.fleetbench.localstack;

/** Which emulator serves the Kinesis API in the local stack. */
public enum StreamEmulator {
    /** kinesalite 3.3.3: fast, the default; needs CBOR off in the AWS SDK. */
    KINESALITE("kinesalite"),
    /** kinesis-local 0.6.2 (kinesis-mock): closer to the real service, slow once a shard fills. */
    KINESIS_LOCAL("kinesis-local");

    private final String packageName;

    StreamEmulator(String packageName) {
        this.packageName = packageName;
    }

    /** The npm package name, also the emulator's name in messages, logs and the state file. */
    public String packageName() {
        return packageName;
    }
}
