package io.s3logroutes.collapse;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * The inputs of a period or an output, in order, bounded in memory: up to {@code budget} inputs are kept as objects;
 * beyond that every input is a record in a spill file ({@link Spill}) and only its offset (8 bytes) stays in the heap.
 * A spilled input is read back on {@link #get}, through a read buffer, so that reading in order costs one read per
 * few hundred inputs. Immutable once built; {@link #get} is safe from several threads.
 */
final class InputList extends AbstractList<Manifest.Input> implements RandomAccess {

    private static final int READ_BUFFER = 64 << 10;

    private final List<Manifest.Input> memory;
    private final FileChannel file;
    private final long[] offsets;
    private final int size;
    private final long bytes;
    private ByteBuffer window;
    private long windowStart = -1;

    private InputList(List<Manifest.Input> memory, long bytes) {
        this.memory = memory;
        this.file = null;
        this.offsets = null;
        this.size = memory.size();
        this.bytes = bytes;
    }

    private InputList(FileChannel file, long[] offsets, int size, long bytes) {
        this.memory = null;
        this.file = file;
        this.offsets = offsets;
        this.size = size;
        this.bytes = bytes;
    }

    /** The sum of the inputs' sizes. */
    long bytes() {
        return bytes;
    }

    /** Whether the inputs are in a spill file (more than the budget). */
    boolean spilled() {
        return file != null;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Manifest.Input get(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException(i + " of " + size);
        }
        if (memory != null) {
            return memory.get(i);
        }
        long start = offsets[i];
        long end = i + 1 < size ? offsets[i + 1] : -1;
        synchronized (this) {
            try {
                if (windowStart < 0 || start < windowStart || end < 0
                        || end > windowStart + window.limit()) {
                    fill(start, end);
                }
                ByteBuffer b = window.duplicate();
                b.position((int) (start - windowStart));
                return decode(b);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the collapse spill file: " + e.getMessage(), e);
            }
        }
    }

    private void fill(long start, long end) throws IOException {
        int want = end < 0 ? (int) Math.min(Integer.MAX_VALUE, file.size() - start) : (int) (end - start);
        int len = Math.max(READ_BUFFER, want);
        if (window == null || window.capacity() < len) {
            window = ByteBuffer.allocate(len);
        }
        window.clear();
        window.limit(len);
        long pos = start;
        while (window.hasRemaining()) {
            int n = file.read(window, pos);
            if (n < 0) {
                break;
            }
            pos += n;
        }
        window.flip();
        windowStart = start;
    }

    private static Manifest.Input decode(ByteBuffer b) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(b.array(), b.arrayOffset() + b.position(),
                b.remaining()));
        String key = in.readUTF();
        long size = in.readLong();
        String etag = in.readUTF();
        return new Manifest.Input(key, size, etag);
    }

    /** A list of inputs kept in memory: for the pure planners and their tests. */
    static InputList of(List<Manifest.Input> inputs) {
        return new InputList(List.copyOf(inputs), inputs.stream().mapToLong(Manifest.Input::size).sum());
    }

    /**
     * Collects inputs in order: in memory up to {@code budget}, then all of them in a spill file that {@code spill}
     * opens (no spill: always in memory).
     */
    static final class Builder {
        private final Spill spill;
        private final int budget;
        private List<Manifest.Input> memory = new ArrayList<>();
        private FileChannel file;
        private BufferedOutputStream out;
        private final java.io.ByteArrayOutputStream record = new java.io.ByteArrayOutputStream(256);
        private final DataOutputStream recordOut = new DataOutputStream(record);
        private long[] offsets;
        private long written;
        private int size;
        private long bytes;

        Builder(Spill spill, int budget) {
            this.spill = spill;
            this.budget = budget;
        }

        Builder add(Manifest.Input in) {
            if (in.key().length() > 4096) {
                throw new CollapseException("key too long for a collapse input: " + in.key().substring(0, 100) + "...");
            }
            try {
                if (file == null && spill != null && memory.size() >= budget) {
                    file = spill.open();
                    out = new BufferedOutputStream(Channels.newOutputStream(file), 64 << 10);
                    offsets = new long[Math.max(16, budget * 2)];
                    List<Manifest.Input> m = memory;
                    memory = null;
                    size = 0;
                    for (Manifest.Input x : m) {
                        write(x);
                    }
                }
                if (file != null) {
                    write(in);
                } else {
                    memory.add(in);
                    size++;
                }
                bytes += in.size();
                return this;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the collapse spill file: " + e.getMessage(), e);
            }
        }

        private void write(Manifest.Input in) throws IOException {
            if (size == offsets.length) {
                offsets = Arrays.copyOf(offsets, offsets.length + offsets.length / 2);
            }
            offsets[size++] = written;
            record.reset();
            recordOut.writeUTF(in.key());
            recordOut.writeLong(in.size());
            recordOut.writeUTF(in.etag() == null ? "" : in.etag());
            record.writeTo(out);
            written += record.size();
        }

        int size() {
            return size;
        }

        InputList build() {
            if (file == null) {
                return new InputList(memory, bytes);
            }
            try {
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the collapse spill file: " + e.getMessage(), e);
            }
            return new InputList(file, offsets, size, bytes);
        }
    }
}
