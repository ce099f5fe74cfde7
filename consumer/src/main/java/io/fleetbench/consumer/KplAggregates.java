package io.fleetbench.consumer;

import io.fleetbench.telemetry.InvalidEventException;
import io.fleetbench.telemetry.InvalidEventException.Reason;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * Names the fault of a KPL aggregated record that reached the processor whole.
 *
 * <p>An aggregated record is the magic bytes {@code F3 89 9A C2}, an {@code AggregatedRecord}
 * protobuf and the 16-byte MD5 of that protobuf. The KCL (3.5.1, {@code AggregatorUtil.deaggregate})
 * splits it into its user records, but passes a record that starts with the magic bytes on unchanged,
 * as if it were a plain record, when it is too short to hold a trailer after the magic, when the
 * trailer does not match, or when the protobuf cannot be parsed. Decoded as JSON it would only be
 * reported as malformed JSON; this tells the cases apart.
 */
final class KplAggregates {
    /** The four bytes every aggregated record starts with. */
    static final byte[] MAGIC = {(byte) 0xF3, (byte) 0x89, (byte) 0x9A, (byte) 0xC2};
    /** Length of the MD5 trailer. */
    static final int DIGEST_LENGTH = 16;

    private KplAggregates() {
    }

    /** Whether a record starts with the aggregation magic bytes. */
    static boolean hasMagic(byte[] record) {
        return record.length >= MAGIC.length && Arrays.equals(record, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    /**
     * Why an aggregated record that the KCL passed on whole cannot be processed: {@link Reason#AGGREGATE_BAD_CHECKSUM}
     * if its trailer does not match its protobuf, else {@link Reason#MALFORMED_AGGREGATE}. The message gives the size
     * and never quotes the record.
     *
     * @param record a record that starts with the magic bytes
     */
    static InvalidEventException rejection(byte[] record) {
        if (!hasMagic(record)) {
            throw new IllegalArgumentException("expected a record that starts with the KPL magic bytes, found "
                    + record.length + " bytes without them");
        }
        int body = record.length - MAGIC.length - DIGEST_LENGTH;
        if (body <= 0) {
            return new InvalidEventException(Reason.MALFORMED_AGGREGATE, "KPL aggregated record of " + record.length
                    + " bytes is too short for a body and its " + DIGEST_LENGTH + "-byte MD5 trailer; the KCL passed it"
                    + " on without splitting it");
        }
        MessageDigest md5 = md5();
        md5.update(record, MAGIC.length, body);
        byte[] digest = md5.digest();
        if (!Arrays.equals(digest, 0, DIGEST_LENGTH, record, record.length - DIGEST_LENGTH, record.length)) {
            return new InvalidEventException(Reason.AGGREGATE_BAD_CHECKSUM, "KPL aggregated record of "
                    + record.length + " bytes: the MD5 trailer does not match the " + body + "-byte body; the KCL"
                    + " passed it on without splitting it");
        }
        return new InvalidEventException(Reason.MALFORMED_AGGREGATE, "KPL aggregated record of " + record.length
                + " bytes: the MD5 trailer matches but the " + body + "-byte body is not an aggregate the KCL can"
                + " parse; it passed it on without splitting it");
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide MD5", e);
        }
    }
}
