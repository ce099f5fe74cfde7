package io.fleetbench.ingest;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** Valid and invalid events as devices would send them, written out by hand as the codec's wire format. */
final class Events {
    private Events() {
    }

    /**
     * A valid car_ignition event of {@code device}, its id naming the device and sequence number; the spacing differs
     * from the codec's own output, so a re-encoded event would not be byte-identical.
     */
    static String ignition(String device, long seq) {
        return "{\"type\": \"car_ignition\", \"event_id\": \"" + device + "-" + seq + "\", \"device_id\": \"" + device
                + "\", \"seq\": " + seq + ", \"event_time\": 1700000000000, \"produced_at\": 1700000000100,"
                + " \"schema_version\": 1, \"low_voltage_system_state\": \"ON\", \"battery_voltage\": 12.5,"
                + " \"odometer_km\": 1000.0, \"energy_level_pct\": 80.0}";
    }

    /** The event of {@link #ignition} without its battery_voltage field. */
    static String withoutBatteryVoltage(String device, long seq) {
        return ignition(device, seq).replace(" \"battery_voltage\": 12.5,", "");
    }

    /** A JSON array of the events, laid out over several lines. */
    static String array(List<String> events) {
        return "[\n  " + String.join(",\n  ", events) + "\n]\n";
    }

    /** A PutRecords body for {@code stream} carrying each event under the partition key {@code key-<i>}. */
    static String putRecords(String stream, List<String> events) {
        StringBuilder b = new StringBuilder("{\"Records\": [");
        for (int i = 0; i < events.size(); i++) {
            b.append(i == 0 ? "" : ", ").append("{\"Data\": \"").append(base64(events.get(i)))
                    .append("\", \"PartitionKey\": \"key-").append(i).append("\"}");
        }
        return b.append("], \"StreamName\": \"").append(stream).append("\"}").toString();
    }

    static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
