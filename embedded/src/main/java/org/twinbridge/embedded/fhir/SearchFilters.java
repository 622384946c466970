package org.twinbridge.embedded.fhir;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import ca.uhn.fhir.rest.param.DateParam;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ParamPrefixEnum;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.function.Predicate;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/** The search parameters of {@link InMemoryResourceProvider}, as predicates over stored resources. */
final class SearchFilters {

    private SearchFilters() {
    }

    /** {@code _id}: the resource's logical id equals the token's code. Null matches everything. */
    static Predicate<Resource> id(TokenParam param) {
        if (param == null || param.getValue() == null) {
            return r -> true;
        }
        return r -> param.getValue().equals(r.getIdElement().getIdPart());
    }

    /** {@code _lastUpdated}: every bound of the range holds for {@code meta.lastUpdated}. Null matches everything. */
    static Predicate<Resource> lastUpdated(DateRangeParam range) {
        if (range == null || range.isEmpty()) {
            return r -> true;
        }
        List<DateParam> bounds = range.getValuesAsQueryTokens();
        return r -> {
            Date updated = r.getMeta().getLastUpdated();
            return updated != null && bounds.stream().allMatch(b -> matches(b, updated.toInstant()));
        };
    }

    /**
     * Whether an instant satisfies one date parameter. The parameter stands for the whole interval its
     * precision implies ({@code 2025-01-02} is that day, a value with milliseconds is that millisecond), so
     * {@code gt} means after the interval and {@code le} means before its end. HAPI rejects {@code ap}
     * before it gets here; a parameter without a date matches nothing.
     */
    static boolean matches(DateParam param, Instant value) {
        if (param.getValue() == null) {
            return false;
        }
        TemporalPrecisionEnum precision = param.getPrecision() == null ? TemporalPrecisionEnum.MILLI
                : param.getPrecision();
        Instant start = param.getValue().toInstant();
        Instant end = precision.add(param.getValue(), 1).toInstant();
        ParamPrefixEnum prefix = param.getPrefix() == null ? ParamPrefixEnum.EQUAL : param.getPrefix();
        switch (prefix) {
            case GREATERTHAN:
            case STARTS_AFTER:
                return !value.isBefore(end);
            case GREATERTHAN_OR_EQUALS:
                return !value.isBefore(start);
            case LESSTHAN:
            case ENDS_BEFORE:
                return value.isBefore(start);
            case LESSTHAN_OR_EQUALS:
                return value.isBefore(end);
            case NOT_EQUAL:
                return value.isBefore(start) || !value.isBefore(end);
            default:
                return !value.isBefore(start) && value.isBefore(end);
        }
    }

    /**
     * A reference search such as {@code patient=Patient/123} or {@code subject=123}: some reference in one of
     * the named elements points at that id, and at {@code requiredType} when one is given. Null matches
     * everything.
     */
    static Predicate<Resource> references(ReferenceParam param, String requiredType, String... elements) {
        if (param == null || param.getIdPart() == null) {
            return r -> true;
        }
        if (param.getChain() != null) {
            throw new InvalidRequestException("TB-EMBED-FHIR-011 chained reference search '." + param.getChain()
                    + "' is not supported here; search by id, for example patient=Patient/123");
        }
        String wantedType = param.hasResourceType() ? param.getResourceType() : requiredType;
        return r -> {
            for (String element : elements) {
                Property property = r.getNamedProperty(element);
                if (property == null) {
                    continue;
                }
                for (Base value : property.getValues()) {
                    if (value instanceof Reference && pointsAt((Reference) value, wantedType, param.getIdPart())) {
                        return true;
                    }
                }
            }
            return false;
        };
    }

    private static boolean pointsAt(Reference reference, String type, String idPart) {
        if (!reference.hasReference()) {
            return false;
        }
        IdType target = new IdType(reference.getReference());
        return idPart.equals(target.getIdPart())
                && (type == null || !target.hasResourceType() || type.equals(target.getResourceType()));
    }
}
