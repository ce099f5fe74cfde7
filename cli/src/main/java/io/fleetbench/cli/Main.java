package io.fleetbench.cli;

import io.fleetbench.report.ExitCode;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code fleetbench} command. */
@Command(name = "fleetbench", mixinStandardHelpOptions = true, version = "fleetbench 0.1.0",
        description = "Vehicle-telemetry simulator and load-testing harness for a Kinesis to Delta Lake pipeline.",
        subcommands = {RunCommand.class, SimulateCommand.class, IngestCommand.class, ConsumeCommand.class, StackCommand.class, CompactCommand.class, DlqCommand.class,
                CompareCommand.class, AbCommand.class, BenchCommand.class, CostCommand.class, AuditCommand.class,
                VacuumCommand.class, TableCommand.class,
                ProfilesCommand.class, CommandLine.HelpCommand.class})
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit code; see {@link ExitCode}. */
    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("fleetbench: " + describe(e));
            return ExitCode.ERROR;
        });
        return cli.execute(args);
    }

    private static String describe(Throwable e) {
        StringBuilder b = new StringBuilder(String.valueOf(e.getMessage() != null ? e.getMessage() : e.toString()));
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c.getMessage() != null && !b.toString().contains(c.getMessage())) {
                b.append(": ").append(c.getMessage());
            }
        }
        return b.toString();
    }
}
