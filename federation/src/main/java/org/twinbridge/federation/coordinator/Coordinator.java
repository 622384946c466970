package org.twinbridge.federation.coordinator;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.twinbridge.federation.disclosure.DisclosedTable;
import org.twinbridge.federation.identity.SiteIdentity;
import org.twinbridge.federation.identity.TrustDecision;
import org.twinbridge.federation.identity.TrustStore;
import org.twinbridge.federation.transport.MutualTls;
import org.twinbridge.federation.transport.TaskClient;
import org.twinbridge.federation.wire.CmsEnvelope;
import org.twinbridge.federation.wire.SiteAnswer;
import org.twinbridge.federation.wire.TaskRequest;
import org.twinbridge.federation.wire.WireJson;

/**
 * Submits a signed task to every peer at once over mutual TLS, waits for each up to the timeout, verifies each
 * signed answer (a trusted signer that is the site asked, answering this task), and pools what was released.
 * A site that is down, slow, refuses the handshake or answers with anything that does not verify is reported as
 * such; the others' results still come back, flagged partial.
 */
public final class Coordinator {

    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * @param lifetime how long a task is valid for (sites accept up to 15 minutes)
     * @param timeout  how long to wait for each site
     */
    public record Settings(SiteIdentity identity, TrustStore trust, List<Peer> peers, Duration lifetime,
            Duration timeout, Clock clock) {
        public Settings {
            Objects.requireNonNull(identity, "identity");
            Objects.requireNonNull(trust, "trust");
            peers = List.copyOf(peers);
            Objects.requireNonNull(lifetime, "lifetime");
            Objects.requireNonNull(timeout, "timeout");
            Objects.requireNonNull(clock, "clock");
        }
    }

    private final Settings settings;

    public Coordinator(Settings settings) {
        this.settings = settings;
    }

    /** A new task from this coordinator, with a fresh id and nonce. */
    public TaskRequest task(String plugin, String purpose, Map<String, String> parameters) {
        Instant now = settings.clock().instant();
        return new TaskRequest("task-" + hex(8), settings.identity().site(), plugin, purpose, parameters, hex(16),
                now, now.plus(settings.lifetime()));
    }

    public FederatedResult run(String plugin, String purpose, Map<String, String> parameters) {
        return submit(CmsEnvelope.sign(settings.identity(), WireJson.encode(task(plugin, purpose, parameters))));
    }

    /** Sends an already signed task (the coordinator's own, or, in tests, a replayed one) to every peer. */
    public FederatedResult submit(byte[] signedTask) {
        String taskId;
        try {
            taskId = WireJson.decodeTask(CmsEnvelope.open(signedTask).content()).taskId();
        } catch (CmsEnvelope.InvalidSignature | WireJson.Malformed e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, settings.peers().size()), r -> {
            Thread t = new Thread(r, "federation-coordinator");
            t.setDaemon(true);
            return t;
        });
        try {
            List<CompletableFuture<SiteStatus>> calls = new ArrayList<>();
            for (Peer peer : settings.peers()) {
                calls.add(CompletableFuture.supplyAsync(() -> call(peer, taskId, signedTask), pool));
            }
            List<SiteStatus> statuses = calls.stream().map(CompletableFuture::join).toList();
            Map<String, DisclosedTable> released = new LinkedHashMap<>();
            for (SiteStatus s : statuses) {
                if (s instanceof SiteStatus.Ok ok) {
                    released.put(ok.site(), ok.answer().table().orElseThrow());
                }
            }
            return new FederatedResult(taskId, statuses, PooledTable.pool(released));
        } finally {
            pool.shutdownNow();
        }
    }

    private SiteStatus call(Peer peer, String taskId, byte[] signedTask) {
        List<TrustDecision.Untrusted> refused = new ArrayList<>();
        TaskClient client;
        try {
            client = new TaskClient(MutualTls.context(settings.identity(), settings.trust(),
                    Optional.of(peer.site()), refused::add), peer.url());
        } catch (GeneralSecurityException e) {
            return new SiteStatus.Failed(peer.site(), "TB-FED-016 cannot set up TLS (" + e.getClass().getSimpleName()
                    + ")");
        }
        TaskClient.Outcome outcome = client.submit(signedTask, settings.timeout());
        if (outcome instanceof TaskClient.TimedOut) {
            return new SiteStatus.TimedOut(peer.site(), "TB-FED-017 no answer within " + settings.timeout().toMillis()
                    + " ms");
        }
        if (outcome instanceof TaskClient.Unreachable u) {
            String why = refused.isEmpty() ? u.reason() : refused.get(0).message();
            return new SiteStatus.Failed(peer.site(), "TB-FED-016 " + why);
        }
        TaskClient.Answered answered = (TaskClient.Answered) outcome;
        if (answered.status() != 200) {
            return new SiteStatus.Failed(peer.site(), "TB-FED-016 the site answered HTTP " + answered.status());
        }
        SiteAnswer answer;
        try {
            CmsEnvelope.Opened opened = CmsEnvelope.open(answered.body());
            TrustDecision signer = settings.trust().check(new X509Certificate[] {opened.signer()});
            if (!(signer instanceof TrustDecision.Trusted t) || !t.site().equals(peer.site())) {
                return new SiteStatus.Failed(peer.site(), "TB-FED-006 the answer is not signed by " + peer.site());
            }
            answer = WireJson.decodeAnswer(opened.content());
        } catch (CmsEnvelope.InvalidSignature | WireJson.Malformed e) {
            return new SiteStatus.Failed(peer.site(), e.getMessage());
        }
        if (!answer.taskId().equals(taskId) || !answer.site().equals(peer.site())) {
            return new SiteStatus.Failed(peer.site(), "TB-FED-018 the answer is for another task or site");
        }
        String where = answer.auditEntry().map(a -> " [" + a + "]").orElse("");
        return switch (answer.status()) {
            case RELEASED -> new SiteStatus.Ok(peer.site(), answer);
            case DECLINED -> new SiteStatus.Declined(peer.site(), answer.reason().orElse("declined") + where);
            case FAILED -> new SiteStatus.Failed(peer.site(), answer.reason().orElse("failed") + where);
        };
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
