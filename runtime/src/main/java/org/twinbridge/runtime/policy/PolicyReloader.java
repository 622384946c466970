package org.twinbridge.runtime.policy;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.twinbridge.policy.decision.PolicyDecisionPoint;
import org.twinbridge.policy.load.FederatedPolicy;
import org.twinbridge.policy.load.PolicyException;
import org.twinbridge.policy.load.PolicyLoader;
import org.twinbridge.policy.model.PolicySet;
import org.twinbridge.policy.yaml.LocatedError;

/**
 * Hot reload: on each tick, if any file in the policy directory changed, loads the whole set again and
 * activates it only if it is valid. An invalid edit is reported (every error, located) and the previous
 * version keeps deciding.
 */
public final class PolicyReloader implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyReloader.class);
    private final Path dir;
    private final PolicyLoader loader;
    private final PolicyHolder holder;
    private final Consumer<PolicyHolder.Active> onActivate;
    private volatile String fingerprint;
    private volatile List<LocatedError> lastErrors = List.of();

    /** @param onActivate told of each newly activated version, after it is active (the node audits it) */
    public PolicyReloader(Path dir, FhirContext fhir, PolicyHolder holder, Consumer<PolicyHolder.Active> onActivate) {
        this.dir = dir;
        this.loader = new PolicyLoader(fhir);
        this.holder = holder;
        this.onActivate = onActivate;
        this.fingerprint = fingerprint(dir);
    }

    /** Loads a policy directory as an active version, for start-up. */
    public static PolicyHolder.Active load(Path dir, FhirContext fhir) throws PolicyException {
        return active(new PolicyLoader(fhir).loadFederated(dir));
    }

    private static PolicyHolder.Active active(FederatedPolicy federated) {
        PolicySet set = federated.set();
        return new PolicyHolder.Active(new PolicyDecisionPoint(set), set.labels(),
                "policy set " + set.id() + " " + set.version() + " (" + set.rules().size() + " rules)",
                Optional.of(federated));
    }

    @Override
    public void process(Exchange exchange) {
        checkNow();
    }

    /** Reloads if the directory changed; returns true if a new version was activated. */
    public boolean checkNow() {
        String now = fingerprint(dir);
        if (now.equals(fingerprint)) {
            return false;
        }
        fingerprint = now;
        try {
            FederatedPolicy set = loader.loadFederated(dir);
            if (set.set().version().equals(holder.policyVersion())) {
                return false;
            }
            PolicyHolder.Active previous = holder.activate(active(set));
            lastErrors = List.of();
            LOG.info("TB-POLICY-040 activated {} (was {})", holder.current().description(), previous.description());
            onActivate.accept(holder.current());
            return true;
        } catch (PolicyException e) {
            lastErrors = e.errors();
            LOG.error("TB-POLICY-041 policy change in {} rejected; {} keeps deciding. Errors:", dir,
                    holder.current().description());
            e.errors().forEach(error -> LOG.error("  {}", error.format()));
            return false;
        }
    }

    /** The errors of the last rejected change, empty if the last change was accepted. */
    public List<LocatedError> lastErrors() {
        return lastErrors;
    }

    private static String fingerprint(Path dir) {
        StringBuilder out = new StringBuilder();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.sorted().toList()) {
                out.append(file.getFileName()).append(':').append(Files.size(file)).append(':')
                        .append(Files.getLastModifiedTime(file).toMillis()).append(';');
            }
        } catch (IOException e) {
            out.append("unreadable");
        }
        return out.toString();
    }
}
