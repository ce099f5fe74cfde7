package io.fleetbench.report;

import java.util.List;

/** Builds a small Markdown page: headings, paragraphs and tables, with table cells escaped. */
public final class Markdown {
    private final StringBuilder b = new StringBuilder();

    /** A level-1 or deeper heading. */
    public Markdown heading(int level, String text) {
        if (!b.isEmpty() && !b.toString().endsWith("\n\n")) {
            b.append('\n');
        }
        b.append("#".repeat(Math.max(1, level))).append(' ').append(text.replace('\n', ' ')).append("\n\n");
        return this;
    }

    /** A paragraph, as given (it may hold Markdown). */
    public Markdown paragraph(String text) {
        b.append(text).append("\n\n");
        return this;
    }

    /** A list item per line. */
    public Markdown bullets(List<String> items) {
        for (String item : items) {
            b.append("- ").append(item.replace('\n', ' ')).append('\n');
        }
        b.append('\n');
        return this;
    }

    /** A table; every row has the header's number of cells. */
    public Markdown table(List<String> header, List<List<String>> rows) {
        row(header);
        b.append('|');
        for (int i = 0; i < header.size(); i++) {
            b.append("---|");
        }
        b.append('\n');
        for (List<String> r : rows) {
            if (r.size() != header.size()) {
                throw new IllegalArgumentException("a table row has " + r.size() + " cells, the header " + header.size());
            }
            row(r);
        }
        b.append('\n');
        return this;
    }

    private void row(List<String> cells) {
        b.append('|');
        for (String c : cells) {
            b.append(' ').append(cell(c)).append(" |");
        }
        b.append('\n');
    }

    /** A cell's text: pipes escaped, line breaks as spaces, empty for null. */
    static String cell(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("|", "\\|").replace("\r", "").replace('\n', ' ');
    }

    /** Inline code, for keys and conditions. */
    public static String code(String s) {
        return "`" + s.replace("`", "'") + "`";
    }

    @Override
    public String toString() {
        return b.toString();
    }
}
