package io.fleetbench.compactor;

import io.delta.standalone.DeltaLog;
import io.delta.standalone.VersionLog;
import io.delta.standalone.actions.Action;
import io.delta.standalone.actions.AddFile;
import io.delta.standalone.actions.CommitInfo;
import io.delta.standalone.actions.RemoveFile;
import org.apache.hadoop.conf.Configuration;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Every action in a table's log, read back with delta-standalone: what was added, removed, and by whom. */
final class TableLog {
    /** How many times each path was removed. */
    final Map<String, Integer> removals = new HashMap<>();
    /** How many times each path was added. */
    final Map<String, Integer> additions = new HashMap<>();
    /** The compaction commits: their read and commit versions. */
    final List<long[]> compactions = new ArrayList<>();
    int removes;

    TableLog(String path) {
        DeltaLog log = DeltaLog.forTable(new Configuration(), path);
        Iterator<VersionLog> changes = log.getChanges(0, true);
        while (changes.hasNext()) {
            VersionLog v = changes.next();
            for (Action a : v.getActions()) {
                if (a instanceof RemoveFile r) {
                    removals.merge(r.getPath(), 1, Integer::sum);
                    removes++;
                } else if (a instanceof AddFile add) {
                    additions.merge(add.getPath(), 1, Integer::sum);
                } else if (a instanceof CommitInfo info && info.getUserMetadata().orElse("").contains("\"compaction\"")) {
                    compactions.add(new long[] {info.getReadVersion().orElse(-1L), v.getVersion()});
                }
            }
        }
    }

    /** Paths removed more than once. */
    List<String> removedTwice() {
        return removals.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
    }
}
