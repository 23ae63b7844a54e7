package io.s3logroutes.testing;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP/1.1 proxy on 127.0.0.1 in front of an S3 server that injects faults into a fraction of the calls: 503
 * SlowDown, 500 InternalError, a connection reset before the request reaches the server, a connection reset after
 * the server has handled it (the answer is lost), and a delay. {@link #outage(Duration)} resets every connection and
 * every request for a while (a full outage). Requests and responses are relayed byte for byte, so SigV4 signatures
 * stay valid (the client signs the proxy's {@code Host}, which is forwarded unchanged). {@link #alter} changes the
 * answers to one kind of request instead (one wrong size in a listing or a HeadObject, for example).
 *
 * <p>{@link #refuse} answers every request of one HTTP method with an S3 error of your choice (403
 * SignatureDoesNotMatch on each PUT, say) until {@link #stopRefusing()}.
 */
public final class FaultProxy implements AutoCloseable {

    public enum Fault { SLOW_DOWN, INTERNAL_ERROR, RESET_BEFORE, RESET_AFTER, DELAY }

    private final URI upstream;
    private final ServerSocket server;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fault-proxy");
        t.setDaemon(true);
        return t;
    });
    private final Random random;
    private final Map<Fault, AtomicLong> injected = new EnumMap<>(Fault.class);
    private final AtomicLong requests = new AtomicLong();
    private final Map<String, AtomicLong> methods = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicLong outageResets = new AtomicLong();
    private volatile double faultRate;
    private volatile List<Fault> kinds = List.of(Fault.values());
    private volatile Duration delay = Duration.ofSeconds(2);
    private volatile long latencyNanos;
    private volatile long outageUntil = System.nanoTime();
    private volatile Refusal refusal;
    private final AtomicLong refused = new AtomicLong();

    /** The answer {@link #refuse} gives instead of relaying: the status, and the error code and message (or none). */
    private record Refusal(String method, int status, String code, String message) {
    }
    private volatile boolean closed;
    private volatile Alteration alteration;
    private final AtomicLong altered = new AtomicLong();

    /**
     * A change to the answers of one kind of request: each answer to a request that {@link #matches} is read whole
     * (de-chunked) and sent with the header lines and body that {@link #change} makes of it.
     */
    public interface Alteration {
        /** Whether the answer to this request ({@code GET}, {@code /bucket/key?query} as sent) is to be changed. */
        boolean matches(String method, String target);

        /**
         * Changes an answer: {@code headers} (the header lines, changed in place) and the body to send, or null
         * when this answer has nothing to change (it is then sent as it came and not counted).
         */
        byte[] change(List<String> headers, byte[] body);
    }

    public FaultProxy(URI upstream, double faultRate, long seed) throws IOException {
        this.upstream = upstream;
        this.faultRate = faultRate;
        this.random = new Random(seed);
        for (Fault f : Fault.values()) {
            injected.put(f, new AtomicLong());
        }
        this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "fault-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    public FaultProxy faultRate(double rate) {
        this.faultRate = rate;
        return this;
    }

    public FaultProxy kinds(List<Fault> kinds) {
        this.kinds = List.copyOf(kinds);
        return this;
    }

    public FaultProxy delay(Duration delay) {
        this.delay = delay;
        return this;
    }

    /**
     * Holds every request for {@code latency} once it has been read whole, before it goes to the server: a fixed
     * round-trip time on top of the server's own, as a distant S3 endpoint adds. Each connection waits on its own,
     * so requests on different connections are held at the same time, never one after another.
     */
    public FaultProxy latency(Duration latency) {
        this.latencyNanos = latency.toNanos();
        return this;
    }

    /** Resets every connection and request from now for {@code length}. */
    public void outage(Duration length) {
        outageUntil = System.nanoTime() + length.toNanos();
    }

    /**
     * From now on, answers every request with this HTTP method ({@code PUT}, {@code HEAD}...) with the status and an
     * S3 XML error body holding {@code code} and {@code message}, instead of relaying it; with {@code code} null (and
     * for HEAD), an empty body. Either way the answer has an {@code x-amz-request-id} header.
     */
    public FaultProxy refuse(String method, int status, String code, String message) {
        refusal = new Refusal(method, status, code, message);
        return this;
    }

    /** Relays every request again. */
    public FaultProxy stopRefusing() {
        refusal = null;
        return this;
    }

    /** The requests answered by {@link #refuse} so far. */
    public long refused() {
        return refused.get();
    }

    public boolean inOutage() {
        return System.nanoTime() - outageUntil < 0;
    }

    public long requests() {
        return requests.get();
    }

    /** The requests relayed or answered so far with this HTTP method ({@code GET}, {@code PUT}, ...). */
    public long requests(String method) {
        AtomicLong n = methods.get(method);
        return n == null ? 0 : n.get();
    }

    /** From now on, changes the answers that {@code a} matches; null to stop. */
    public FaultProxy alter(Alteration a) {
        this.alteration = a;
        return this;
    }

    /** The answers changed so far by {@link #alter}. */
    public long altered() {
        return altered.get();
    }

    /**
     * ListObjectsV2 answers of {@code bucket} (path-style) list {@code key} with the size {@code size}; the
     * key is matched as listed or URL-decoded ({@code encoding-type=url}).
     */
    public static Alteration listedSize(String bucket, String key, long size) {
        return new Alteration() {
            @Override
            public boolean matches(String method, String target) {
                int q = target.indexOf('?');
                String path = q < 0 ? target : target.substring(0, q);
                return method.equals("GET") && q > 0 && (path.equals("/" + bucket) || path.equals("/" + bucket + "/"))
                        && target.substring(q + 1).contains("list-type=2");
            }

            @Override
            public byte[] change(List<String> headers, byte[] body) {
                String xml = new String(body, StandardCharsets.UTF_8);
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?s)<Contents>.*?</Contents>").matcher(xml);
                StringBuilder out = new StringBuilder();
                boolean changed = false;
                while (m.find()) {
                    String c = m.group();
                    java.util.regex.Matcher k = java.util.regex.Pattern.compile("<Key>(.*?)</Key>").matcher(c);
                    if (k.find() && (k.group(1).equals(key)
                            || java.net.URLDecoder.decode(k.group(1), StandardCharsets.UTF_8).equals(key))) {
                        c = c.replaceFirst("<Size>\\d+</Size>", "<Size>" + size + "</Size>");
                        changed = true;
                    }
                    m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(c));
                }
                m.appendTail(out);
                return changed ? out.toString().getBytes(StandardCharsets.UTF_8) : null;
            }
        };
    }

    /** HeadObject answers for {@code bucket}/{@code key} (path-style) say {@code Content-Length: length}. */
    public static Alteration headLength(String bucket, String key, long length) {
        return new Alteration() {
            @Override
            public boolean matches(String method, String target) {
                int q = target.indexOf('?');
                String path = java.net.URLDecoder.decode(q < 0 ? target : target.substring(0, q), StandardCharsets.UTF_8);
                return method.equals("HEAD") && path.equals("/" + bucket + "/" + key);
            }

            @Override
            public byte[] change(List<String> headers, byte[] body) {
                headers.removeIf(l -> l.toLowerCase(Locale.ROOT).startsWith("content-length:"));
                headers.add("Content-Length: " + length);
                return body;
            }
        };
    }

    public long injected(Fault f) {
        return injected.get(f).get();
    }

    public long injectedTotal() {
        return injected.values().stream().mapToLong(AtomicLong::get).sum();
    }

    public long outageResets() {
        return outageResets.get();
    }

    /** One line with every counter, for reports. */
    public String summary() {
        StringBuilder sb = new StringBuilder("requests=" + requests.get());
        injected.forEach((f, n) -> sb.append(' ').append(f.name().toLowerCase(Locale.ROOT)).append('=').append(n.get()));
        sb.append(" outage_resets=").append(outageResets.get());
        return sb.toString();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                pool.execute(() -> serve(client));
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("fault proxy: accept failed: " + e);
                }
            }
        }
    }

    private Fault draw() {
        synchronized (random) {
            if (random.nextDouble() >= faultRate) {
                return null;
            }
            List<Fault> k = kinds;
            return k.get(random.nextInt(k.size()));
        }
    }

    private void serve(Socket client) {
        Socket up = null;
        try (client) {
            client.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(client.getInputStream(), 65536);
            OutputStream out = new BufferedOutputStream(client.getOutputStream(), 65536);
            while (!closed) {
                if (inOutage()) {
                    outageResets.incrementAndGet();
                    reset(client);
                    return;
                }
                Head req = Head.read(in);
                if (req == null) {
                    return;
                }
                requests.incrementAndGet();
                methods.computeIfAbsent(req.startLine.substring(0, Math.max(0, req.startLine.indexOf(' '))),
                        m -> new AtomicLong()).incrementAndGet();
                if (inOutage()) {
                    outageResets.incrementAndGet();
                    reset(client);
                    return;
                }
                if ("100-continue".equalsIgnoreCase(req.header("expect"))) {
                    out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    req.remove("expect");
                }
                byte[] body = readBody(in, req);
                long hold = latencyNanos;
                if (hold > 0) {
                    Thread.sleep(hold / 1_000_000, (int) (hold % 1_000_000));
                }
                Refusal r = refusal;
                if (r != null && req.startLine.startsWith(r.method() + " ")) {
                    refused.incrementAndGet();
                    String reason = r.status() == 400 ? "Bad Request" : r.status() == 403 ? "Forbidden"
                            : r.status() == 404 ? "Not Found" : "Error";
                    if (r.code() == null || r.method().equals("HEAD")) {
                        out.write(("HTTP/1.1 " + r.status() + " " + reason + "\r\nContent-Length: 0\r\n"
                                + "x-amz-request-id: FAULTPROXY\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                        out.flush();
                    } else {
                        error(out, false, r.status(), reason, r.code(), r.message());
                    }
                    continue;
                }
                Fault fault = draw();
                if (fault != null) {
                    injected.get(fault).incrementAndGet();
                }
                if (fault == Fault.RESET_BEFORE) {
                    reset(client);
                    return;
                }
                boolean head = req.startLine.startsWith("HEAD ");
                if (fault == Fault.SLOW_DOWN) {
                    error(out, head, 503, "Slow Down", "SlowDown", "Please reduce your request rate.");
                    continue;
                }
                if (fault == Fault.INTERNAL_ERROR) {
                    error(out, head, 500, "Internal Server Error", "InternalError", "We encountered an internal error. Please try again.");
                    continue;
                }
                if (fault == Fault.DELAY) {
                    Thread.sleep(delay.toMillis());
                }
                if (up == null || up.isClosed()) {
                    up = new Socket();
                    up.setTcpNoDelay(true);
                    up.connect(new InetSocketAddress(upstream.getHost(), upstream.getPort()), 5000);
                }
                OutputStream upOut = new BufferedOutputStream(up.getOutputStream(), 65536);
                upOut.write(req.bytes());
                upOut.write(body);
                upOut.flush();
                InputStream upIn = new BufferedInputStream(up.getInputStream(), 65536);
                Head resp = Head.read(upIn);
                if (resp == null) {
                    throw new EOFException("the S3 server closed the connection without an answer");
                }
                Alteration alt = alteration;
                String[] line = req.startLine.split(" ", 3);
                if (fault == null && alt != null && line.length == 3 && alt.matches(line[0], line[1])) {
                    boolean untilClose = !head && !resp.chunked() && resp.contentLength() < 0 && resp.status() / 100 != 1
                            && resp.status() != 204 && resp.status() != 304;
                    byte[] original = head ? new byte[0] : payload(upIn, resp);
                    List<String> headers = new ArrayList<>(resp.lines);
                    byte[] changed = alt.change(headers, original);
                    byte[] answer = changed == null ? original : changed;
                    if (changed != null) {
                        altered.incrementAndGet();
                        resp.lines.clear();
                        resp.lines.addAll(headers);
                    }
                    if (!head) {
                        resp.remove("transfer-encoding");
                        resp.remove("content-length");
                        resp.lines.add("Content-Length: " + answer.length);
                    }
                    out.write(resp.bytes());
                    out.write(answer);
                    out.flush();
                    if (untilClose || resp.closes()) {
                        up.close();
                        return;
                    }
                    if (req.closes()) {
                        return;
                    }
                    continue;
                }
                if (fault == Fault.RESET_AFTER) {
                    relayBody(upIn, resp, head, OutputStream.nullOutputStream());
                    if (resp.closes()) {
                        up.close();
                    }
                    reset(client);
                    return;
                }
                out.write(resp.bytes());
                boolean untilClose = relayBody(upIn, resp, head, out);
                out.flush();
                if (untilClose || resp.closes()) {
                    up.close();
                    return;
                }
                if (req.closes()) {
                    return;
                }
            }
        } catch (SocketException | EOFException e) {
            // the client or the server closed the connection; the client sees it as such
        } catch (IOException e) {
            if (!closed) {
                System.err.println("fault proxy: " + e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (up != null) {
                try {
                    up.close();
                } catch (IOException ignored) {
                    // closing a socket that is already broken
                }
            }
        }
    }

    /**
     * An S3 error answer. The answer to a HEAD request has the Content-Length of the error document but no body
     * (RFC 9110, 9.3.2): body bytes after a HEAD answer would be read as the start of the next answer on that
     * keep-alive connection.
     */
    private static void error(OutputStream out, boolean head, int status, String reason, String code, String message)
            throws IOException {
        byte[] xml = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>" + message
                + "</Message><RequestId>FAULTPROXY</RequestId></Error>").getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: application/xml\r\nContent-Length: "
                + xml.length + "\r\nx-amz-request-id: FAULTPROXY\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        if (!head) {
            out.write(xml);
        }
        out.flush();
    }

    private static void reset(Socket s) {
        try {
            s.setSoLinger(true, 0);
            s.close();
        } catch (IOException ignored) {
            // the point is to break the connection
        }
    }

    /** Reads a request body (Content-Length or chunked, framing kept) into memory. */
    private static byte[] readBody(InputStream in, Head h) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        if (h.chunked()) {
            copyChunked(in, buf);
        } else {
            long n = h.contentLength();
            if (n > 0) {
                copyExactly(in, buf, n);
            }
        }
        return buf.toByteArray();
    }

    /** Relays a response body; returns true when it is delimited by the end of the connection. */
    private static boolean relayBody(InputStream in, Head resp, boolean headRequest, OutputStream out) throws IOException {
        int status = resp.status();
        if (headRequest || status / 100 == 1 || status == 204 || status == 304) {
            return false;
        }
        if (resp.chunked()) {
            copyChunked(in, out);
            return false;
        }
        long n = resp.contentLength();
        if (n >= 0) {
            copyExactly(in, out, n);
            return false;
        }
        in.transferTo(out);
        return true;
    }

    /** A response body as its bytes: de-chunked, by Content-Length, or up to the end of the connection. */
    private static byte[] payload(InputStream in, Head resp) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int status = resp.status();
        if (status / 100 == 1 || status == 204 || status == 304) {
            return buf.toByteArray();
        }
        if (resp.chunked()) {
            while (true) {
                String sizeLine = readLine(in);
                int semi = sizeLine.indexOf(';');
                long size = Long.parseLong((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
                if (size == 0) {
                    String trailer;
                    do {
                        trailer = readLine(in);
                    } while (trailer != null && !trailer.isEmpty());
                    return buf.toByteArray();
                }
                copyExactly(in, buf, size);
                readLine(in);
            }
        }
        long n = resp.contentLength();
        if (n >= 0) {
            copyExactly(in, buf, n);
        } else {
            in.transferTo(buf);
        }
        return buf.toByteArray();
    }

    private static void copyExactly(InputStream in, OutputStream out, long n) throws IOException {
        byte[] b = new byte[65536];
        while (n > 0) {
            int r = in.read(b, 0, (int) Math.min(b.length, n));
            if (r < 0) {
                throw new EOFException("body ended " + n + " bytes early");
            }
            out.write(b, 0, r);
            n -= r;
        }
    }

    private static void copyChunked(InputStream in, OutputStream out) throws IOException {
        while (true) {
            String sizeLine = readLine(in);
            out.write((sizeLine + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            int semi = sizeLine.indexOf(';');
            long size = Long.parseLong((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
            if (size == 0) {
                String trailer;
                do {
                    trailer = readLine(in);
                    out.write((trailer + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                } while (!trailer.isEmpty());
                return;
            }
            copyExactly(in, out, size);
            String crlf = readLine(in);
            out.write((crlf + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c < 0) {
                if (sb.length() == 0) {
                    return null;
                }
                throw new EOFException("connection closed in the middle of a line");
            }
            if (c == '\n') {
                int len = sb.length();
                if (len > 0 && sb.charAt(len - 1) == '\r') {
                    sb.setLength(len - 1);
                }
                return sb.toString();
            }
            sb.append((char) c);
        }
    }

    /** A request or status line with its header lines, kept as sent. */
    static final class Head {
        final String startLine;
        final List<String> lines = new ArrayList<>();

        private Head(String startLine) {
            this.startLine = startLine;
        }

        static Head read(InputStream in) throws IOException {
            String start = readLine(in);
            if (start == null) {
                return null;
            }
            Head h = new Head(start);
            while (true) {
                String l = readLine(in);
                if (l == null) {
                    throw new EOFException("connection closed in the headers");
                }
                if (l.isEmpty()) {
                    return h;
                }
                h.lines.add(l);
            }
        }

        String header(String name) {
            for (String l : lines) {
                int c = l.indexOf(':');
                if (c > 0 && l.substring(0, c).trim().equalsIgnoreCase(name)) {
                    return l.substring(c + 1).trim();
                }
            }
            return null;
        }

        void remove(String name) {
            lines.removeIf(l -> {
                int c = l.indexOf(':');
                return c > 0 && l.substring(0, c).trim().equalsIgnoreCase(name);
            });
        }

        boolean chunked() {
            String te = header("transfer-encoding");
            return te != null && te.toLowerCase(Locale.ROOT).contains("chunked");
        }

        long contentLength() {
            String cl = header("content-length");
            return cl == null ? -1 : Long.parseLong(cl);
        }

        boolean closes() {
            return "close".equalsIgnoreCase(header("connection"));
        }

        int status() {
            String[] p = startLine.split(" ", 3);
            return Integer.parseInt(p[1]);
        }

        byte[] bytes() {
            StringBuilder sb = new StringBuilder(startLine).append("\r\n");
            for (String l : lines) {
                sb.append(l).append("\r\n");
            }
            return sb.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // already closed
        }
        pool.shutdownNow();
    }

    /** Runs a proxy from the command line: {@code FaultProxy UPSTREAM_URL RATE [SEED]}; prints its endpoint. */
    public static void main(String[] args) throws Exception {
        FaultProxy p = new FaultProxy(URI.create(args[0]), Double.parseDouble(args[1]),
                args.length > 2 ? Long.parseLong(args[2]) : 1);
        System.out.println(p.endpoint());
        while (true) {
            Thread.sleep(10_000);
            System.out.println(p.summary());
        }
    }
}
