package io.fleetbench.cli;

import io.fleetbench.report.ExitCode;

import io.fleetbench.localstack.EmulatorStatus;
import io.fleetbench.localstack.LocalStack;
import io.fleetbench.localstack.ProjectHome;
import io.fleetbench.localstack.StackConfig;
import io.fleetbench.localstack.StreamEmulator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code fleetbench stack up|down|status}: keeps the local emulators running between runs. */
@Command(name = "stack", description = "Start, stop or inspect the local emulators kept running between runs.",
        subcommands = {StackCommand.Up.class, StackCommand.Down.class, StackCommand.Status.class})
final class StackCommand {

    /** Starts the emulators detached; {@code run} then reuses them. */
    @Command(name = "up", description = "Start the emulators in the background; runs reuse them until 'stack down'.")
    static final class Up implements Callable<Integer> {
        @Option(names = "--stream-emulator", defaultValue = "KINESALITE",
                description = "Kinesis emulator: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
        StreamEmulator streamEmulator;

        @Mixin
        StackPorts ports;

        @Override
        public Integer call() {
            StackConfig config = ports.applyOrExplain(StackConfig.defaults().withStreamEmulator(streamEmulator));
            if (config == null) {
                return ExitCode.BAD_INPUT;
            }
            LocalStack.up(config, ProjectHome.locate(), System.out);
            print(LocalStack.status(ProjectHome.locate()));
            return ExitCode.OK;
        }
    }

    /** Stops the emulators that {@code up} started. */
    @Command(name = "down", description = "Stop the emulators started by 'stack up'.")
    static final class Down implements Callable<Integer> {
        @Override
        public Integer call() {
            LocalStack.down(ProjectHome.locate(), StackConfig.defaults().stopGrace(), System.out);
            return ExitCode.OK;
        }
    }

    /** Says whether each emulator runs and answers on its port. */
    @Command(name = "status", description = "Show whether each emulator started by 'stack up' runs and answers; exit 1 if not.")
    static final class Status implements Callable<Integer> {
        @Override
        public Integer call() {
            List<EmulatorStatus> status = LocalStack.status(ProjectHome.locate());
            if (status.isEmpty()) {
                System.out.println("no stack is up (start one with 'fleetbench stack up')");
                return ExitCode.ERROR;
            }
            print(status);
            return status.stream().allMatch(s -> s.running() && s.answers()) ? ExitCode.OK : ExitCode.ERROR;
        }
    }

    private static void print(List<EmulatorStatus> status) {
        for (EmulatorStatus s : status) {
            System.out.printf("%-14s pid %-8d port %-5d %s%n", s.name(), s.pid(), s.port(),
                    !s.running() ? "not running" : s.answers() ? "up" : "running but not answering");
        }
    }
}
