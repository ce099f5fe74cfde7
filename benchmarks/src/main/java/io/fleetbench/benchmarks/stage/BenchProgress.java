package io.fleetbench.benchmarks.stage;

/** Hears how a stage's rounds go, for a progress line. Called on the thread that runs the stage. */
public interface BenchProgress {
    /** Ignores everything. */
    BenchProgress NONE = new BenchProgress() {
        @Override
        public void started(String label) {
        }

        @Override
        public void update(long done, long total, String unit) {
        }

        @Override
        public void finished(long done, long total, String unit, String detail) {
        }
    };

    /** A round begins, e.g. {@code bench sink round 2/3} or {@code bench sink warm-up}. */
    void started(String label);

    /** Work done in the round so far. */
    void update(long done, long total, String unit);

    /** The round ended; {@code detail} gives its headline figures. */
    void finished(long done, long total, String unit, String detail);
}
