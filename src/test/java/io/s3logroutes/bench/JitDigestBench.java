package io.s3logroutes.bench;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Speed of the byte work the S3 client does per uploaded byte, under the JIT options of the run
 * ({@code bench/run.sh jitdigest} runs it once with C1 only, the launcher's default, and once with C2): SHA-256 over
 * the body (SigV4 signs the payload of a request to an {@code http://} endpoint) and AES-GCM in 16 KiB records (TLS
 * to an {@code https://} endpoint). Each pass works through an 8 MiB buffer, ship's batch size.
 * <pre>
 * JitDigestBench [PASSES=15]
 * </pre>
 * One line per algorithm: {@code RESULT algorithm=A mb_per_s=X} (the median of the passes after the first five).
 */
public final class JitDigestBench {

    private static final int SIZE = 8 << 20;
    private static final int RECORD = 16 << 10;

    public static void main(String[] a) throws Exception {
        int passes = a.length > 0 ? Integer.parseInt(a[0]) : 15;
        byte[] buf = new byte[SIZE];
        new Random(1).nextBytes(buf);
        List<Double> sha = new ArrayList<>();
        List<Double> aes = new ArrayList<>();
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        SecretKeySpec key = new SecretKeySpec(new byte[16], "AES");
        byte[] out = new byte[RECORD + 16];
        for (int p = 0; p < passes; p++) {
            long t0 = System.nanoTime();
            md.update(buf);
            md.digest();
            long t1 = System.nanoTime();
            for (int off = 0; off < SIZE; off += RECORD) {
                // one cipher per record, as TLS seals each record with its own nonce
                Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
                byte[] iv = new byte[12];
                iv[0] = (byte) p;
                iv[4] = (byte) (off >>> 14);
                iv[5] = (byte) (off >>> 22);
                c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
                c.doFinal(buf, off, RECORD, out, 0);
            }
            long t2 = System.nanoTime();
            if (p >= 5) {
                sha.add(SIZE / 1e6 / ((t1 - t0) / 1e9));
                aes.add(SIZE / 1e6 / ((t2 - t1) / 1e9));
            }
        }
        System.out.printf("RESULT algorithm=SHA-256 mb_per_s=%.0f%n", median(sha));
        System.out.printf("RESULT algorithm=AES-128-GCM(16KiB-records) mb_per_s=%.0f%n", median(aes));
    }

    private static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }
}
