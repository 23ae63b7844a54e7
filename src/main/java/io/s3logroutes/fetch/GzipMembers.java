package io.s3logroutes.fetch;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipException;

/**
 * Decompresses one or more gzip members in a row (RFC 1952) as one stream. Unlike {@link java.util.zip.GZIPInputStream}
 * it does not rely on {@code available()} to find the next member, checks every member's CRC and size, and rejects
 * anything after the last member that is not another gzip member.
 */
final class GzipMembers extends InputStream {

    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;

    private final InputStream in;
    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private final byte[] buf = new byte[65536];
    private int bufPos;
    private int bufLen;
    private long memberSize;
    private int members;
    private boolean eof;

    /** Reads the first member's header. */
    GzipMembers(InputStream in) throws IOException {
        this.in = in;
        header();
    }

    private int readByte() throws IOException {
        if (bufPos >= bufLen) {
            int n = in.read(buf, 0, buf.length);
            if (n <= 0) {
                return -1;
            }
            bufPos = 0;
            bufLen = n;
        }
        return buf[bufPos++] & 0xff;
    }

    private int needByte() throws IOException {
        int b = readByte();
        if (b < 0) {
            throw new EOFException("unexpected end of gzip member " + (members + 1));
        }
        return b;
    }

    private long le32() throws IOException {
        return needByte() | (needByte() << 8) | (needByte() << 16) | ((long) needByte() << 24);
    }

    private void header() throws IOException {
        int id1 = needByte();
        int id2 = needByte();
        if (id1 != 0x1f || id2 != 0x8b) {
            throw new ZipException(members == 0 ? "not in gzip format"
                    : "data that is not gzip after gzip member " + members);
        }
        if (needByte() != 8) {
            throw new ZipException("unsupported compression method in gzip member " + (members + 1));
        }
        int flg = needByte();
        for (int i = 0; i < 6; i++) {
            needByte();
        }
        if ((flg & FEXTRA) != 0) {
            int len = needByte() | (needByte() << 8);
            for (int i = 0; i < len; i++) {
                needByte();
            }
        }
        if ((flg & FNAME) != 0) {
            while (needByte() != 0) {
                // file name
            }
        }
        if ((flg & FCOMMENT) != 0) {
            while (needByte() != 0) {
                // comment
            }
        }
        if ((flg & FHCRC) != 0) {
            needByte();
            needByte();
        }
        inflater.reset();
        crc.reset();
        memberSize = 0;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (eof) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        while (true) {
            if (inflater.needsInput()) {
                if (bufPos >= bufLen) {
                    int n = in.read(buf, 0, buf.length);
                    if (n <= 0) {
                        throw new EOFException("unexpected end of gzip member " + (members + 1));
                    }
                    bufPos = 0;
                    bufLen = n;
                }
                inflater.setInput(buf, bufPos, bufLen - bufPos);
                bufPos = bufLen;
            }
            int n;
            try {
                n = inflater.inflate(b, off, len);
            } catch (DataFormatException e) {
                throw new ZipException("corrupt deflate data in gzip member " + (members + 1) + ": " + e.getMessage());
            }
            if (n > 0) {
                crc.update(b, off, n);
                memberSize += n;
                return n;
            }
            if (inflater.finished()) {
                bufPos = bufLen - inflater.getRemaining();
                long wantCrc = le32();
                long wantSize = le32();
                if (wantCrc != crc.getValue() || wantSize != (memberSize & 0xffffffffL)) {
                    throw new ZipException("corrupt gzip trailer (CRC or size) of member " + (members + 1));
                }
                members++;
                if (readByte() < 0) {
                    eof = true;
                    return -1;
                }
                bufPos--;
                header();
            } else if (inflater.needsDictionary()) {
                throw new ZipException("gzip member " + (members + 1) + " needs a preset dictionary");
            }
        }
    }

    @Override
    public void close() throws IOException {
        inflater.end();
        in.close();
    }
}
