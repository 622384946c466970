package org.twinbridge.benchmarks.crypto;

import java.time.Clock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.twinbridge.runtime.crypto.DataKeys;
import org.twinbridge.runtime.crypto.KeyOwner;
import org.twinbridge.runtime.crypto.NodeKeys;
import org.twinbridge.runtime.crypto.RecordCipher;
import org.twinbridge.runtime.storage.Database;

/**
 * Encrypt and decrypt throughput of TwinBridge's record encryption, per record size, against bare AES-256-GCM.
 *
 * <ul>
 *   <li>{@code bareJdk*}: the platform's AES/GCM/NoPadding (SunJCE) with a fresh random nonce and the same
 *       associated data: the floor RecordCipher builds on.</li>
 *   <li>{@code recordCipher*}: {@link RecordCipher} from a real patient data key (what the journal, the state
 *       store and outputs call): adds the format byte, the nonce layout and the copy.</li>
 *   <li>{@code bareBouncyCastle*}: BouncyCastle's AES/GCM through its JCA provider, for the provider choice
 *       (docs/security.md).</li>
 *   <li>{@code lookupAndDecrypt}: what reading one state value or output costs: the indexed data key lookup on
 *       an in-memory H2, the unwrap under the KEK, then the decryption.</li>
 * </ul>
 *
 * Ratios are recordCipher / bareJdk per size (BENCHMARKS.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class RecordCipherBenchmark {

    @Param({"256", "1024", "4096", "16384", "65536"})
    public int size;

    private static final String AAD = "0f8e1c6a7d3b4e2f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f";
    private final SecureRandom random = new SecureRandom();
    private final BouncyCastleProvider bc = new BouncyCastleProvider();
    private Path dir;
    private Database db;
    private Connection connection;
    private DataKeys dataKeys;
    private RecordCipher cipher;
    private SecretKeySpec bareKey;
    private byte[] plaintext;
    private byte[] sealed;
    private byte[] bareNonce;
    private byte[] bareSealed;
    private byte[] bcSealed;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("twinbridge-bench");
        char[] password = "benchmark-only".toCharArray();
        NodeKeys keys = NodeKeys.init(dir.resolve("keys.p12"), password, "bench", Clock.systemUTC());
        db = Database.open("jdbc:sqlite:" + dir.resolve("bench.db"), null, null);
        dataKeys = keys.dataKeys();
        cipher = db.inTransaction(c -> dataKeys.forWriting(c, KeyOwner.patient("benchmark-patient")));
        connection = db.connection();
        byte[] keyBytes = new byte[32];
        random.nextBytes(keyBytes);
        bareKey = new SecretKeySpec(keyBytes, "AES");
        plaintext = new byte[size];
        random.nextBytes(plaintext);
        sealed = cipher.encrypt(plaintext, AAD);
        bareNonce = new byte[12];
        random.nextBytes(bareNonce);
        bareSealed = bare(Cipher.getInstance("AES/GCM/NoPadding"), Cipher.ENCRYPT_MODE, bareNonce, plaintext);
        bcSealed = bare(Cipher.getInstance("AES/GCM/NoPadding", bc), Cipher.ENCRYPT_MODE, bareNonce, plaintext);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        connection.close();
        db.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private byte[] bare(Cipher c, int mode, byte[] nonce, byte[] input) throws Exception {
        c.init(mode, bareKey, new GCMParameterSpec(128, nonce));
        c.updateAAD(AAD.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return c.doFinal(input);
    }

    @Benchmark
    public byte[] bareJdkEncrypt() throws Exception {
        byte[] nonce = new byte[12];
        random.nextBytes(nonce);
        return bare(Cipher.getInstance("AES/GCM/NoPadding"), Cipher.ENCRYPT_MODE, nonce, plaintext);
    }

    @Benchmark
    public byte[] bareJdkDecrypt() throws Exception {
        return bare(Cipher.getInstance("AES/GCM/NoPadding"), Cipher.DECRYPT_MODE, bareNonce, bareSealed);
    }

    @Benchmark
    public byte[] recordCipherEncrypt() {
        return cipher.encrypt(plaintext, AAD);
    }

    @Benchmark
    public byte[] recordCipherDecrypt() {
        return cipher.decrypt(sealed, AAD);
    }

    @Benchmark
    public byte[] bareBouncyCastleEncrypt() throws Exception {
        byte[] nonce = new byte[12];
        random.nextBytes(nonce);
        return bare(Cipher.getInstance("AES/GCM/NoPadding", bc), Cipher.ENCRYPT_MODE, nonce, plaintext);
    }

    @Benchmark
    public byte[] bareBouncyCastleDecrypt() throws Exception {
        return bare(Cipher.getInstance("AES/GCM/NoPadding", bc), Cipher.DECRYPT_MODE, bareNonce, bcSealed);
    }

    @Benchmark
    public byte[] lookupAndDecrypt() throws Exception {
        return dataKeys.forReading(connection, cipher.keyId()).decrypt(sealed, AAD);
    }
}
