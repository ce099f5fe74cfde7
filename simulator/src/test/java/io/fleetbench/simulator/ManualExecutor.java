package io.fleetbench.simulator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** A producer executor on the test thread with a clock that moves only when the test says so. */
final class ManualExecutor implements ProducerExecutor {
    final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final List<Scheduled> scheduled = new ArrayList<>();

    private record Scheduled(long at, Runnable task) {
    }

    long now() {
        return clock.get();
    }

    @Override
    public void execute(Runnable task) {
        task.run();
    }

    @Override
    public void schedule(long delayNanos, Runnable task) {
        scheduled.add(new Scheduled(clock.get() + delayNanos, task));
    }

    /** Whether a delayed task is waiting. */
    boolean hasScheduled() {
        return !scheduled.isEmpty();
    }

    /** Moves the clock to the earliest delayed task and runs it. */
    void runNextScheduled() {
        Scheduled next = scheduled.stream().min(Comparator.comparingLong(Scheduled::at)).orElseThrow();
        scheduled.remove(next);
        clock.set(Math.max(clock.get(), next.at()));
        next.task().run();
    }
}
