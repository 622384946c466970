package org.twinbridge.policy.enforcement;

import org.twinbridge.policy.model.Obligation;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.FhirVersionEnum;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.r4.model.Resource;
import org.twinbridge.policy.model.Obligation.AllowElements;

/**
 * The policy enforcement point: turns a permitted record into the view one recipient may see, by applying the
 * permit's {@link Obligation}s to a new resource. The source resource is never modified.
 *
 * <p>Obligations are applied in a fixed order, whatever order the list has:
 * <ol>
 *   <li><b>Allow-list projection</b> (mandatory). Exactly one {@link AllowElements} must name the source's type.
 *       The output starts empty and receives only the listed element paths, each with its structure; a
 *       prefix of a listed path ({@code component} for {@code component.code}) keeps only the listed
 *       descendants, in every repetition. Narrative, contained resources, {@code implicitRules} and
 *       {@code language} never survive. Below a listed path, free text (string, markdown, url), element ids,
 *       {@code Reference.type}, extensions and modifier extensions survive only where a path names them
 *       ({@code code.text}, {@code extension}, {@code component.extension}); an allowed parent does not carry
 *       them (see {@link AllowListProjector}). The output's id is always {@link EnforcementContext#resourceId()}.
 *   <li><b>Coded content only</b>: see {@link Obligation.CodedOnly}.
 *   <li><b>Redaction</b>: string, markdown, uri and url values at or below each path become
 *       {@link Obligation.Redact#MARKER}. Paths absent from the record are ignored.
 *   <li><b>Generalisation</b>: {@link Obligation.CapAges} first (it reads full dates), then each
 *       {@link Obligation.Generalise} (age caps before years), then {@link Obligation.DatesToYear}.
 *   <li><b>Date shift</b>: every date, dateTime and instant moves by
 *       {@link EnforcementContext#dateShiftDays(int)} days, keeping its precision, time and zone. Dates with only
 *       a year or a year and month are not moved.
 *   <li><b>References and identifiers</b>: reference {@code display} text and contained ({@code #id})
 *       references are always removed. With {@link Obligation.Pseudonymise}, identifier values become keyed
 *       pseudonyms under {@code urn:twinbridge:pseudonym} (assigner and type text removed), literal references
 *       are mapped by {@link EnforcementContext#references()}, and logical references are removed. Without it,
 *       identifiers and literal references stay as projected.
 *   <li><b>Security labels</b>: {@code meta.security} is rebuilt from codes only (see {@link SecurityLabels}):
 *       the source's known sensitivity and confidentiality codes and every {@link Obligation.CarryLabels} label.
 * </ol>
 *
 * <p>Element paths are FHIR R4 element names relative to the resource, dot-separated, with choice elements
 * written {@code value[x]}. Allow-list paths are checked against the model and an unknown one fails with
 * TB-ENFORCE-002; redaction and generalisation paths carry no resource type, so a path that does not exist for
 * this record's type is simply not found.
 *
 * <p>Thread-safe: one instance may serve every recipient. Errors name the obligation or path at fault and never
 * include record content.
 */
public final class Enforcer {

    private static final int MAX_CACHED_ALLOW_LISTS = 1024;

    private final FhirContext fhirContext;
    private final Map<AllowElements, ElementPaths.Tree> allowLists = new ConcurrentHashMap<>();

    /**
     * @param fhirContext an R4 context, used to check allow-list paths against the model
     * @throws IllegalArgumentException if the context is not for FHIR R4
     */
    public Enforcer(FhirContext fhirContext) {
        this.fhirContext = Objects.requireNonNull(fhirContext, "fhirContext");
        if (fhirContext.getVersion().getVersion() != FhirVersionEnum.R4) {
            throw new IllegalArgumentException("TB-ENFORCE-005 the enforcer works on FHIR R4 resources, but the "
                    + "context is for " + fhirContext.getVersion().getVersion() + "; pass FhirContext.forR4Cached()");
        }
    }

    /**
     * Builds the recipient's view of {@code source}.
     *
     * @param source the permitted record; read only
     * @param obligations the permit's obligations, in any order; must include exactly one {@link AllowElements}
     *     for {@code source.fhirType()}
     * @param context the recipient's pseudonym domain, date offset, clock and the view's id
     * @return a new resource holding only what the obligations allow, never null
     * @throws IllegalArgumentException with TB-ENFORCE-001 if there is no single allow-list for the type,
     *     TB-ENFORCE-002 for a malformed or unknown path, TB-ENFORCE-003 for conflicting date shifts
     * @throws IllegalStateException with TB-ENFORCE-004 if the context breaks its contract
     */
    public Resource enforce(Resource source, List<Obligation> obligations, EnforcementContext context) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(obligations, "obligations");
        Objects.requireNonNull(context, "context");
        ObligationPlan plan = ObligationPlan.of(source.fhirType(), obligations);

        Resource view = AllowListProjector.project(source, allowList(source, plan.allow()));
        String id = context.resourceId();
        if (id == null || id.isBlank()) {
            throw new IllegalStateException("TB-ENFORCE-004 the enforcement context gave no resource id for the "
                    + "view; every projected record needs its pseudonymous id");
        }
        view.setId(id);
        if (plan.codedOnlyEverywhere() || !plan.codedOnly().isEmpty()) {
            CodedContent.apply(view, plan.codedOnly(), plan.codedOnlyEverywhere());
        }
        Redactor.redact(view, plan.redactions());
        if (plan.capAges() > 0) {
            Ages.capAll(view, plan.capAges(), context.today());
        }
        for (ObligationPlan.Step step : plan.generalisations()) {
            Generaliser.generalise(view, step.path(), step.method(), context.today());
        }
        if (plan.datesToYear()) {
            Generaliser.allToYear(view);
        }
        if (plan.shiftMaxDays() > 0) {
            DateShifter.shift(view, shiftDays(context, plan.shiftMaxDays()));
        }
        Pseudonymiser.apply(view, plan.pseudonymise() ? context : null);
        SecurityLabels.rebuild(source, view, plan.labels());
        return view;
    }

    /** The obligations' PHI-free descriptions in the order {@link #enforce} applies them, for audit entries. */
    public static List<String> describe(List<Obligation> obligations) {
        return obligations.stream()
                .sorted(Comparator.comparingInt(ObligationPlan::rank).thenComparing(Obligation::describe))
                .map(Obligation::describe)
                .toList();
    }

    private ElementPaths.Tree allowList(Resource source, AllowElements allow) {
        ElementPaths.Tree cached = allowLists.get(allow);
        if (cached != null) {
            return cached;
        }
        ElementPaths.requireKnown(fhirContext, (Resource) AllowListProjector.emptyLike(source), allow.paths());
        ElementPaths.Tree tree = ElementPaths.Tree.of(allow.paths());
        if (allowLists.size() >= MAX_CACHED_ALLOW_LISTS) {
            allowLists.clear();
        }
        allowLists.put(allow, tree);
        return tree;
    }

    private static int shiftDays(EnforcementContext context, int maxDays) {
        int days = context.dateShiftDays(maxDays);
        if (Math.abs(days) > maxDays) {
            throw new IllegalStateException("TB-ENFORCE-004 the enforcement context gave a date offset outside the "
                    + "permitted ±" + maxDays + " days; refusing to shift by more than the policy allows");
        }
        return days;
    }
}
