package io.fleetbench.runner;

import java.io.PrintStream;

/**
 * A status line: on a terminal each new text rewrites the line in place (padded over a longer one
 * before it); elsewhere (a log, CI) each text is a line of its own.
 */
public final class TerminalLine {
    private final PrintStream out;
    private final boolean terminal;
    private int lastWidth;

    public TerminalLine(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /** Shows a text as the line's new content. */
    public void show(String line) {
        if (terminal) {
            out.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
            lastWidth = line.length();
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** Ends an in-place line, so that the next output starts on a line of its own. */
    public void finish() {
        if (terminal && lastWidth > 0) {
            out.println();
            lastWidth = 0;
            out.flush();
        }
    }
}
