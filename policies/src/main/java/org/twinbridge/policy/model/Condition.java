package org.twinbridge.policy.model;

import ca.uhn.fhir.fhirpath.IFhirPath;
import java.util.List;
import java.util.Objects;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IPrimitiveType;

/**
 * A FHIRPath expression compiled once when the policy loads. It holds when it evaluates to exactly one
 * {@code true}; an empty result or {@code false} means it does not hold.
 */
public final class Condition {

    private final String expression;
    private final IFhirPath engine;
    private final IFhirPath.IParsedExpression parsed;

    private Condition(String expression, IFhirPath engine, IFhirPath.IParsedExpression parsed) {
        this.expression = expression;
        this.engine = engine;
        this.parsed = parsed;
    }

    /**
     * Compiles an expression.
     *
     * @throws IllegalArgumentException with the parser's message if it is not valid FHIRPath
     */
    public static Condition compile(IFhirPath engine, String expression) {
        Objects.requireNonNull(expression, "expression");
        try {
            return new Condition(expression, engine, engine.parse(expression));
        } catch (Exception e) {
            throw new IllegalArgumentException(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    /**
     * Evaluates against a resource.
     *
     * @throws RuntimeException if evaluation fails; callers treat that as "deny"
     */
    public boolean holds(IBase resource) {
        List<IBase> result = engine.evaluate(resource, parsed, IBase.class);
        return result.size() == 1 && result.get(0) instanceof IPrimitiveType<?> primitive
                && Boolean.TRUE.equals(primitive.getValue());
    }

    public String expression() {
        return expression;
    }

    @Override
    public String toString() {
        return expression;
    }
}
