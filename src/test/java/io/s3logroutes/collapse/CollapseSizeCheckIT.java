package io.s3logroutes.collapse;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

import io.s3logroutes.config.Props;
import io.s3logroutes.config.S3Settings;
import io.s3logroutes.s3.S3ClientFactory;
import io.s3logroutes.testing.FaultProxy;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two size checks of collapse, each made to fail by {@link FaultProxy} altering one answer of the real S3 API
 * server: the sum of the inputs (one input listed with a wrong Size, so the bytes read differ from the listing) and
 * the uploaded size (the HeadObject of the completed output answers a wrong Content-Length). Each time the period
 * fails with an error that names the period and both sizes, and no input is deleted.
 */
class CollapseSizeCheckIT {

    static final LocalDateTime DAY = LocalDateTime.parse("2014-12-31T00:00");

    final LogData data = new LogData(33);

    SortedMap<String, byte[]> put(Fixture f, int n) {
        SortedMap<String, byte[]> m = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            LocalDateTime t = DAY.plusMinutes(i * 37L);
            m.put(data.accessKey("logs/", t), data.accessObject(t.toInstant(ZoneOffset.UTC), 2));
        }
        LogData.putAll(f.s3, f.bucket, m);
        return m;
    }

    /** One collapse run of {@link #DAY} through the proxy; its one result. */
    static GroupResult runThrough(Fixture f, FaultProxy proxy, String... more) {
        String[] kv = new String[more.length + 4];
        kv[0] = "s3logs.s3.endpoint";
        kv[1] = proxy.endpoint().toString();
        kv[2] = "s3logs.collapse.input-prefix";
        kv[3] = "logs/";
        System.arraycopy(more, 0, kv, 4, more.length);
        Map<String, String> all = f.props(kv);
        S3Settings settings = S3Settings.from(new Props(k -> Optional.ofNullable(all.get(k))));
        try (S3Client client = S3ClientFactory.create(settings, StaticCredentialsProvider.create(AwsBasicCredentials
                .create(f.server.server().accessKey(), f.server.server().secretKey())), 8);
             CollapseService svc = f.service(client, CollapseHook.NONE, kv)) {
            List<GroupResult> r = svc.runRange(DAY, DAY);
            assertThat(r).hasSize(1);
            return r.get(0);
        }
    }

    static long sum(Map<String, byte[]> m) {
        return m.values().stream().mapToLong(b -> b.length).sum();
    }

    @Test
    void anInputWhoseSizeDiffersFromItsListingFailsThePeriodAndNothingIsUploadedOrDeleted() throws Exception {
        long t0 = System.nanoTime();
        Fixture f = new Fixture("size-sum");
        SortedMap<String, byte[]> objs = put(f, 20);
        String victim = List.copyOf(objs.keySet()).get(11);
        long real = objs.get(victim).length;
        long listedSum = sum(objs) + 10;

        GroupResult r;
        try (FaultProxy proxy = new FaultProxy(f.server.server().endpoint(), 0.0, 1)) {
            proxy.alter(FaultProxy.listedSize(f.bucket, victim, real + 10));
            r = runThrough(f, proxy);
            assertThat(proxy.altered()).as("listings altered").isPositive();
        }

        assertThat(r.status()).isEqualTo(GroupResult.Status.FAILED);
        assertThat(r.summary()).contains("period 2014-12-31: input " + victim + " is " + real + " bytes but was listed as "
                + (real + 10) + " bytes, so the 20 inputs of logs/2014-12-31_collapsed do not add up to their listed sum of "
                + listedSum + " bytes; upload aborted, nothing deleted");
        assertThat(f.list("logs/").keySet()).as("every input kept, nothing written").containsExactlyElementsOf(objs.keySet());
        assertThat(f.pendingUploads()).isZero();
        System.out.printf("CollapseSizeCheckIT sum of the inputs: %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    @Test
    void anInputCopiedServerSideIsCheckedToo() throws Exception {
        long t0 = System.nanoTime();
        Fixture f = new Fixture("size-sum-copy");
        // two inputs of 6 MiB: both copied with UploadPartCopy into a multipart output of 5 MiB parts; the first
        // bytes of each are read before its copy, and that answer's Content-Range gives the object's size
        SortedMap<String, byte[]> objs = new TreeMap<>();
        objs.put(data.accessKey("logs/", DAY.plusHours(1)), data.bulkyLines(6 << 20));
        objs.put(data.accessKey("logs/", DAY.plusHours(2)), data.bulkyLines(6 << 20));
        LogData.putAll(f.s3, f.bucket, objs);
        String victim = objs.lastKey();
        long real = objs.get(victim).length;
        List<Concatenator.Action> plan = Concatenator.plan(objs.entrySet().stream()
                .map(e -> new Manifest.Input(e.getKey(), e.getValue().length, "x")).toList(), true, 5L << 20);
        assertThat(plan).as("both inputs are copied").allMatch(a -> a instanceof Concatenator.Copy);

        GroupResult r;
        try (FaultProxy proxy = new FaultProxy(f.server.server().endpoint(), 0.0, 1)) {
            proxy.alter(FaultProxy.listedSize(f.bucket, victim, real - 1));
            r = runThrough(f, proxy, "s3logs.collapse.part-size", "5MiB");
            assertThat(proxy.altered()).isPositive();
        }

        assertThat(r.summary()).contains("period 2014-12-31: input " + victim + " is " + real + " bytes but was listed as "
                + (real - 1) + " bytes").contains("listed sum of " + (sum(objs) - 1) + " bytes")
                .contains("upload aborted, nothing deleted");
        assertThat(f.list("logs/").keySet()).containsExactlyElementsOf(objs.keySet());
        assertThat(f.pendingUploads()).as("the multipart upload of the first copy is aborted").isZero();
        System.out.printf("CollapseSizeCheckIT copied input: %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    @Test
    void anUploadedSizeThatDiffersFromTheInputsFailsThePeriodAndNothingIsDeleted() throws Exception {
        long t0 = System.nanoTime();
        Fixture f = new Fixture("size-upload");
        SortedMap<String, byte[]> objs = put(f, 20);
        long total = sum(objs);
        String out = "logs/2014-12-31_collapsed";

        GroupResult r;
        try (FaultProxy proxy = new FaultProxy(f.server.server().endpoint(), 0.0, 1)) {
            proxy.alter(FaultProxy.headLength(f.bucket, out, total + 5));
            r = runThrough(f, proxy);
            assertThat(proxy.altered()).as("HeadObject answers altered").isEqualTo(1);
        }

        assertThat(r.status()).isEqualTo(GroupResult.Status.FAILED);
        assertThat(r.summary()).contains("period 2014-12-31: output " + out + " is " + (total + 5)
                + " bytes (HeadObject) but its inputs sum to " + total + " bytes; nothing deleted");
        assertThat(f.list("logs/").keySet()).as("every input kept").containsAll(objs.keySet())
                .contains(out, out + ".manifest.json").hasSize(objs.size() + 2);
        objs.forEach((k, v) -> assertThat(LogData.digest(f.get(k))).as(k).isEqualTo(LogData.digest(v)));

        // the next run, with true answers, checks the output against its manifest and finishes the period
        List<GroupResult> again = f.run("2014-12-31", "2014-12-31", "s3logs.collapse.input-prefix", "logs/");
        assertThat(again.get(0).summary()).contains("resumed " + out + " (20 inputs deleted)");
        CollapseState.read(f.s3, f.bucket, "logs/", "2014-12-31", objs).assertComplete(f.s3, f.bucket, objs.size());
        System.out.printf("CollapseSizeCheckIT uploaded size: %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }
}
