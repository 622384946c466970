package org.twinbridge.federation.site;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.twinbridge.federation.disclosure.CohortMemory;
import org.twinbridge.federation.disclosure.DisclosureControl;
import org.twinbridge.federation.disclosure.Verdict;
import org.twinbridge.federation.identity.Certificates;
import org.twinbridge.federation.identity.SiteIdentity;
import org.twinbridge.federation.identity.TrustDecision;
import org.twinbridge.federation.identity.TrustStore;
import org.twinbridge.federation.transport.HttpsTaskServer;
import org.twinbridge.federation.transport.MutualTls;
import org.twinbridge.federation.transport.TaskHandler;
import org.twinbridge.federation.transport.TaskListener;
import org.twinbridge.federation.wire.CmsEnvelope;
import org.twinbridge.federation.wire.ReplayGuard;
import org.twinbridge.federation.wire.SiteAnswer;
import org.twinbridge.federation.wire.TaskRequest;
import org.twinbridge.federation.wire.WireJson;
import org.twinbridge.policy.decision.Decision;
import org.twinbridge.policy.enforcement.KeyedEnforcementContext;
import org.twinbridge.policy.federation.DisclosureSettings;
import org.twinbridge.policy.load.FederatedPolicy;
import org.twinbridge.policy.model.PolicySet;
import org.twinbridge.sdk.AggregateTwinModel;
import org.twinbridge.sdk.error.FederationErrors;
import org.twinbridge.sdk.internal.host.AggregateProcessFailure;
import org.twinbridge.sdk.model.AggregateTable;

/**
 * One site's side of federation: takes a signed task from a trusted peer, decides under the site's own policy
 * (a task no federation rule permits is declined, TB-FED-009),
 * runs the aggregate plugin over the records the site's policy and consents permit, applies disclosure control,
 * audits, and answers with a signed result. Every refusal is audited with its TB code and answered (signed) so
 * the coordinator can show it; nothing a peer sends can stop the site. Thread-safe; tasks run one at a time.
 *
 * <p>The plugin is whatever {@link AggregatePlugins} hands out: at a real site, the stand-in for a plugin that runs
 * in its own sandboxed process (the runtime's {@code IsolatedAggregateModel}), whose failures arrive as an
 * {@link AggregateProcessFailure} and fail the task with TB-FED-021 (TB-FED-015 if the plugin itself threw).
 * Whatever table comes back, disclosure control and the row-level checks here decide what leaves.
 */
public final class FederatedSite implements TaskHandler {

    private static final Logger LOG = LoggerFactory.getLogger(FederatedSite.class);
    private static final SecureRandom KEYS = new SecureRandom();

    /**
     * What a site needs.
     *
     * @param memoryKey keys the subject tokens of the cohort memory (stable across tasks, never leaves the site)
     */
    public record Settings(SiteIdentity identity, TrustStore trust, Supplier<FederatedPolicy> policies, SiteConsents consent,
            SiteRecords records, AggregatePlugins plugins, ReleaseAudit audit, CohortMemory memory, byte[] memoryKey,
            Clock clock, RandomGenerator noise) {
        public Settings {
            Objects.requireNonNull(identity, "identity");
            Objects.requireNonNull(trust, "trust");
            Objects.requireNonNull(policies, "policies");
            Objects.requireNonNull(consent, "consent");
            Objects.requireNonNull(records, "records");
            Objects.requireNonNull(plugins, "plugins");
            Objects.requireNonNull(audit, "audit");
            Objects.requireNonNull(memory, "memory");
            Objects.requireNonNull(memoryKey, "memoryKey");
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(noise, "noise");
        }
    }

    private final Settings settings;
    private final ReplayGuard replays;
    private final TaskViews views = new TaskViews(FhirContext.forR4Cached());

    public FederatedSite(Settings settings) {
        this.settings = settings;
        this.replays = new ReplayGuard(settings.clock());
    }

    public String site() {
        return settings.identity().site();
    }

    /** Audits a peer the TLS handshake refused (wire it as the server context's refusal listener). */
    public void refusedAtHandshake(TrustDecision.Untrusted refusal) {
        try {
            settings.audit().record(ReleaseAudit.REFUSE, "peer:unknown",
                    Map.of("code", refusal.code().code(), "reason", refusal.reason(), "stage", "tls"));
        } catch (Exception e) {
            LOG.error("TB-FED-003 could not audit a refused peer ({})", e.getClass().getSimpleName());
        }
        LOG.warn("{}", refusal.message());
    }

    /**
     * Starts this site's task endpoint on {@code bind} with mutual TLS: its identity as the key, its trust store
     * deciding on peers, every refused handshake audited.
     */
    public TaskListener listen(InetSocketAddress bind) throws IOException, GeneralSecurityException {
        return HttpsTaskServer.start(bind, MutualTls.context(settings.identity(), settings.trust(), Optional.empty(),
                this::refusedAtHandshake), this);
    }

    @Override
    public byte[] handle(byte[] body, X509Certificate[] peerChain) {
        return CmsEnvelope.sign(settings.identity(), WireJson.encode(answer(body, peerChain)));
    }

    private SiteAnswer answer(byte[] body, X509Certificate[] peerChain) {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("task-cms-sha256", sha256(body));
        CmsEnvelope.Opened opened;
        try {
            opened = CmsEnvelope.open(body);
        } catch (CmsEnvelope.InvalidSignature e) {
            return refuse("unknown", "peer:unknown", facts, FederationErrors.FED_006, e.getMessage().substring(11));
        }
        TrustDecision signer = settings.trust().check(new X509Certificate[] {opened.signer()});
        if (!(signer instanceof TrustDecision.Trusted trusted)) {
            TrustDecision.Untrusted u = (TrustDecision.Untrusted) signer;
            return refuse("unknown", "peer:unknown", facts, u.code(), "the task's signer: " + u.reason());
        }
        String actor = "site:" + trusted.site();
        if (peerChain.length == 0 || !Certificates.fingerprint(peerChain[0]).equals(trusted.fingerprint())) {
            return refuse("unknown", actor, facts, FederationErrors.FED_006, "the task was signed by another "
                    + "certificate than the TLS peer's");
        }
        TaskRequest task;
        try {
            task = WireJson.decodeTask(opened.content());
        } catch (WireJson.Malformed e) {
            return refuse("unknown", actor, facts, FederationErrors.FED_018, e.getMessage().substring(11));
        }
        facts.put("task", task.taskId());
        facts.put("plugin", task.plugin());
        facts.put("purpose", task.purpose());
        facts.put("parameters", task.parameters().toString());
        facts.put("task-cms", Base64.getEncoder().encodeToString(body));
        if (!task.requester().equals(trusted.site())) {
            return refuse(task.taskId(), actor, facts, FederationErrors.FED_006, "the task names requester '"
                    + task.requester() + "' but was signed by site '" + trusted.site() + "'");
        }
        Optional<ReplayGuard.Refusal> replay = replays.admit(task.requester(), task.nonce(), task.issuedAt(),
                task.expiresAt());
        if (replay.isPresent()) {
            return refuse(task.taskId(), actor, facts, replay.get().code(), replay.get().reason());
        }
        synchronized (this) {
            return run(task, actor, facts);
        }
    }

    private SiteAnswer run(TaskRequest task, String actor, Map<String, String> facts) {
        FederatedPolicy federated = settings.policies().get();
        PolicySet policies = federated.set();
        facts.put("policy-version", policies.version());
        Decision decision = federated.federation().decide(task.requester(), task.plugin(), task.purpose(),
                policies.version());
        if (decision instanceof Decision.Deny deny) {
            facts.put("rules", String.join(",", deny.rules()));
            return decline(task, actor, facts, FederationErrors.FED_009, deny.reason());
        }
        facts.put("rules", String.join(",", decision.rules()));
        Optional<AggregateTwinModel> plugin = settings.plugins().find(task.plugin());
        if (plugin.isEmpty()) {
            return decline(task, actor, facts, FederationErrors.FED_010, "plugin '" + task.plugin()
                    + "' is not installed at site " + site());
        }
        byte[] taskKey = new byte[32];
        KEYS.nextBytes(taskKey);
        TaskViews.Views authorised;
        AggregateTable table;
        try {
            authorised = views.build(policies, settings.consent(), settings.records().records(), task.plugin(),
                    task.purpose(), taskKey, LocalDate.ofInstant(settings.clock().instant(), ZoneOffset.UTC));
            facts.put("records-permitted", Integer.toString(authorised.views().size()));
            facts.put("records-denied", Integer.toString(authorised.denied()));
            table = plugin.get().aggregate(authorised.views(), task.parameters());
            if (table == null) {
                throw new IllegalStateException("the plugin returned no table");
            }
        } catch (AggregateProcessFailure e) {
            // The plugin's sandboxed process failed: the message is the site's own fixed text, never plugin output.
            LOG.warn("TB-FED-021 federated task {}: plugin {}: {}", task.taskId(), task.plugin(), e.getMessage());
            facts.put("process-failure", e.kind().name());
            return fail(task, actor, facts, e.kind() == AggregateProcessFailure.Kind.PLUGIN_FAILED
                    ? FederationErrors.FED_015 : FederationErrors.FED_021, e.getMessage());
        } catch (Exception | LinkageError e) {
            LOG.warn("TB-FED-015 federated task {}: plugin {} failed ({})", task.taskId(), task.plugin(),
                    e.getClass().getName());
            return fail(task, actor, facts, FederationErrors.FED_015, "the plugin failed ("
                    + e.getClass().getSimpleName() + ")");
        }
        DisclosureSettings thresholds = federated.federation().disclosure();
        facts.put("thresholds", "min-cell=" + thresholds.minCell() + " min-cohort=" + thresholds.minCohort()
                + " max-categories=" + thresholds.maxCategories() + " noise=" + thresholds.noise());
        Verdict verdict = new DisclosureControl(thresholds, settings.noise()).apply(table,
                authorised.subjects().keySet());
        if (verdict instanceof Verdict.Refuse refused) {
            return decline(task, actor, facts, refused.code(), refused.reason());
        }
        Verdict.Release release = (Verdict.Release) verdict;
        Set<String> cohort = table.contributors().stream()
                .map(s -> KeyedEnforcementContext.hmac(settings.memoryKey(), "cohort|" + authorised.subjects().get(s))
                        .substring(0, 32))
                .collect(Collectors.toSet());
        Optional<Integer> differs = settings.memory().conflict(task.requester(), cohort, thresholds.minCell());
        if (differs.isPresent()) {
            return decline(task, actor, facts, FederationErrors.FED_012, "the cohort differs from one already "
                    + "released to " + task.requester() + " by " + differs.get() + " subject(s), fewer than "
                    + "min-cell (" + thresholds.minCell() + ")");
        }
        byte[] tableJson = WireJson.encode(release.table());
        String hash = sha256(tableJson);
        facts.put("release-sha256", hash);
        facts.put("released", new String(tableJson, java.nio.charset.StandardCharsets.UTF_8));
        facts.put("cohort", Long.toString(release.table().cohort()));
        facts.put("suppressed-primary", Integer.toString(release.primary()));
        facts.put("suppressed-complementary", Integer.toString(release.complementary()));
        String where;
        try {
            settings.memory().remember(task.requester(), cohort);
            where = settings.audit().record(ReleaseAudit.RELEASE, actor, facts);
        } catch (Exception e) {
            LOG.error("TB-FED-015 federated task {}: the release could not be audited ({}); nothing leaves",
                    task.taskId(), e.getClass().getSimpleName());
            return new SiteAnswer(task.taskId(), site(), SiteAnswer.Status.FAILED, Optional.of(
                    "TB-FED-015 the release could not be audited, so nothing leaves"), Optional.empty(),
                    Optional.empty(), Optional.empty());
        }
        LOG.info("federated task {} from {}: released {} ({}), {}", task.taskId(), task.requester(),
                hash, release.table().suppressedCells() + " cell(s) suppressed", where);
        return new SiteAnswer(task.taskId(), site(), SiteAnswer.Status.RELEASED, Optional.empty(),
                Optional.of(release.table()), Optional.of(hash), Optional.of(where));
    }

    private SiteAnswer refuse(String taskId, String actor, Map<String, String> facts, FederationErrors code,
            String reason) {
        return answer(taskId, actor, facts, ReleaseAudit.REFUSE, SiteAnswer.Status.DECLINED, code, reason);
    }

    private SiteAnswer decline(TaskRequest task, String actor, Map<String, String> facts, FederationErrors code,
            String reason) {
        return answer(task.taskId(), actor, facts, ReleaseAudit.DECLINE, SiteAnswer.Status.DECLINED, code, reason);
    }

    private SiteAnswer fail(TaskRequest task, String actor, Map<String, String> facts, FederationErrors code,
            String reason) {
        return answer(task.taskId(), actor, facts, ReleaseAudit.FAIL, SiteAnswer.Status.FAILED, code, reason);
    }

    private SiteAnswer answer(String taskId, String actor, Map<String, String> facts, String kind,
            SiteAnswer.Status status, FederationErrors code, String reason) {
        facts.put("code", code.code());
        facts.put("reason", reason);
        String where;
        try {
            where = settings.audit().record(kind, actor, facts);
        } catch (Exception e) {
            LOG.error("{} could not be audited ({})", code.code(), e.getClass().getSimpleName());
            where = "not audited";
        }
        LOG.warn("{} federated task {} from {}: {}", code.code(), taskId, actor, reason);
        return new SiteAnswer(taskId, site(), status, Optional.of(code.code() + " " + reason), Optional.empty(),
                Optional.empty(), Optional.of(where));
    }

    static String sha256(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

}
