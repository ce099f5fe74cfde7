package io.fleetbench.telemetry;

import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventIdsTest {

    @Test
    void anIdDecodesToItsDeviceAndSequenceNumber() {
        EventIds ids = new EventIds(42);
        for (boolean car : new boolean[] {true, false}) {
            for (int device : new int[] {0, 1, 123_456, EventIds.MAX_DEVICE_INDEX}) {
                for (long seq : new long[] {1, 2, 1_000_000, EventIds.MAX_SEQ}) {
                    String id = ids.eventId(car, device, seq);
                    long key = ids.decode(id);
                    assertEquals(EventIds.key(car, device, seq), key, id);
                    assertEquals(car, EventIds.isCar(key));
                    assertEquals(device, EventIds.device(key));
                    assertEquals(seq, EventIds.seq(key));
                    assertTrue(key >= 0);
                }
            }
        }
    }

    @Test
    void idsAreVersion8UuidsAndUpperCaseDecodesToo() {
        String id = new EventIds(7).eventId(false, 17, 99);
        UUID uuid = UUID.fromString(id);
        assertEquals(8, uuid.version());
        assertEquals(2, uuid.variant());
        assertEquals(EventIds.key(false, 17, 99), new EventIds(7).decode(id.toUpperCase()));
    }

    @Test
    void anotherFleetsIdsAndMalformedStringsAreForeign() {
        String id = new EventIds(1).eventId(true, 5, 10);
        assertEquals(EventIds.FOREIGN, new EventIds(2).decode(id));
        assertEquals(EventIds.FOREIGN, new EventIds(1).decode(null));
        assertEquals(EventIds.FOREIGN, new EventIds(1).decode("not-an-id"));
        assertEquals(EventIds.FOREIGN, new EventIds(1).decode(UUID.randomUUID().toString()));
        assertEquals(EventIds.FOREIGN, new EventIds(1).decode(id.replace('-', 'x')));
        assertEquals(EventIds.FOREIGN, new EventIds(1).decode(id.substring(0, 35) + "g"));
    }

    @Test
    void differentEventsHaveDifferentIds() {
        EventIds ids = new EventIds(3);
        assertNotEquals(ids.eventId(true, 1, 2), ids.eventId(false, 1, 2));
        assertNotEquals(ids.eventId(true, 1, 2), ids.eventId(true, 2, 1));
        assertFalse(ids.eventId(true, 1, 2).equals(new EventIds(4).eventId(true, 1, 2)));
    }

    @Test
    void deviceIdsRoundTrip() {
        assertEquals("car-000123", EventIds.deviceId(true, 123));
        for (int index : new int[] {0, 7, 99_999, 100_000, 999_999, 1_000_000, EventIds.MAX_DEVICE_INDEX}) {
            for (boolean car : new boolean[] {true, false}) {
                assertEquals(EventIds.deviceId(car, index),
                        EventIds.appendDeviceId(new StringBuilder("x"), car, index).substring(1));
            }
        }
        assertEquals("bike-1234567", EventIds.deviceId(false, 1_234_567));
        assertEquals(EventIds.key(true, 123, 0), EventIds.parseDeviceId("car-000123"));
        assertEquals(EventIds.key(false, 1_234_567, 0), EventIds.parseDeviceId("bike-1234567"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EventIds.parseDeviceId("truck-1"));
        assertTrue(e.getMessage().contains("truck-1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EventIds.parseDeviceId("car-x1"));
        assertThrows(IllegalArgumentException.class, () -> new EventIds(1).eventId(true, 1, 0));
    }
}
