package io.fleetbench.compactor;

import io.fleetbench.lake.TableRows;

import java.util.HashMap;
import java.util.Map;

/** Reads a {@link SmallFileTable} back with delta-kernel as a multiset of canonical row texts. */
final class KernelRows {

    Map<String, Integer> read(String tablePath) {
        Map<String, Integer> rows = new HashMap<>();
        for (Map<String, Object> r : TableRows.read(tablePath)) {
            rows.merge(SmallFileTable.row((String) r.get("event_id"), (Long) r.get("seq"), (Double) r.get("reading"),
                    (Long) r.get("event_time"), (String) r.get("event_date"), (Integer) r.get("event_hour")), 1,
                    Integer::sum);
        }
        return rows;
    }
}
