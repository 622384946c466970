package org.twinbridge.tools.bench;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import org.hl7.fhir.r4.model.Resource;

/**
 * The limit: a bare loop over the workload's JSON with no journal, policy, audit or database, doing only what
 * cannot be avoided: parse once, encrypt once (AES-256-GCM, as at rest), then for each plugin project and
 * serialise once. Two variants: on HAPI's model (what FHIRPath needs), and on a Jackson tree (no model).
 */
final class LimitLoop {

    enum Variant { HAPI_MODEL, JACKSON_TREE }

    private LimitLoop() {
    }

    /** @return records per second over {@code passes} passes (after one warm-up pass), on {@code threads} */
    static double run(Variant variant, List<String> json, int plugins, int threads, int passes) throws Exception {
        pass(variant, json, plugins, threads);
        long start = System.nanoTime();
        for (int i = 0; i < passes; i++) {
            pass(variant, json, plugins, threads);
        }
        return (double) json.size() * passes / ((System.nanoTime() - start) / 1e9);
    }

    private static void pass(Variant variant, List<String> json, int plugins, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Long>> parts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                List<String> slice = json.subList(json.size() * t / threads, json.size() * (t + 1) / threads);
                parts.add(pool.submit(() -> variant == Variant.HAPI_MODEL ? hapi(slice, plugins)
                        : jackson(slice, plugins)));
            }
            long bytes = 0;
            for (Future<Long> part : parts) {
                bytes += part.get();
            }
            if (bytes == 0) {
                throw new IllegalStateException("the limit loop produced no output");
            }
        } finally {
            pool.shutdown();
        }
    }

    private static long hapi(List<String> json, int plugins) throws GeneralSecurityException {
        FhirContext fhir = FhirContext.forR4Cached();
        IParser parser = fhir.newJsonParser();
        Sealer sealer = new Sealer();
        long out = 0;
        for (String text : json) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            Resource resource = (Resource) parser.parseResource(text);
            out += sealer.seal(bytes).length;
            for (int p = 0; p < plugins; p++) {
                out += parser.encodeResourceToString(AllowList.project(fhir, resource)).length();
            }
        }
        return out;
    }

    private static long jackson(List<String> json, int plugins) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        Sealer sealer = new Sealer();
        long out = 0;
        for (String text : json) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            JsonNode tree = mapper.readTree(bytes);
            out += sealer.seal(bytes).length;
            for (int p = 0; p < plugins; p++) {
                out += mapper.writeValueAsBytes(AllowList.project(tree)).length;
            }
        }
        return out;
    }

    /** AES-256-GCM with a fresh nonce per record: the at-rest encryption without the key hierarchy. */
    private static final class Sealer {
        private final SecretKey key;
        private final SecureRandom random = new SecureRandom();

        Sealer() throws GeneralSecurityException {
            KeyGenerator generator = KeyGenerator.getInstance("AES");
            generator.init(256);
            key = generator.generateKey();
        }

        byte[] seal(byte[] plain) throws GeneralSecurityException {
            byte[] nonce = new byte[12];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            return cipher.doFinal(plain);
        }
    }
}
