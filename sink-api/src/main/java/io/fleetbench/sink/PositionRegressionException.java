package io.fleetbench.sink;

/** A position at or below one already committed or buffered was about to be committed or buffered. */
public class PositionRegressionException extends RuntimeException {
    public PositionRegressionException(String what, SourcePosition highest, SourcePosition found) {
        super(what + ": expected a position above " + highest + ", found " + found);
    }
}
