package org.twinbridge.plugin.tumour;

import java.util.ArrayList;
import java.util.List;

/**
 * A treatment schedule to simulate: one or more drugs, each at a dose every so many days for a number of
 * cycles, all starting on the same day. Immutable.
 *
 * @param id          a short name, for example {@code docetaxel-q3w}; lower-case letters, digits and dashes
 * @param description one line for people
 * @param components  the drugs; empty for the untreated course
 */
record Regimen(String id, String description, List<Component> components) {

    /** The course without treatment, simulated beside every regimen for comparison. */
    static final Regimen UNTREATED = new Regimen("untreated", "No treatment (natural course)", List.of());

    Regimen {
        if (id == null || !id.matches("[a-z0-9][a-z0-9-]*")) {
            throw new IllegalArgumentException("a regimen id is lower-case letters, digits and dashes, was '" + id
                    + "'");
        }
        if (description == null || description.isBlank()) {
            throw new IllegalArgumentException("regimen " + id + " needs a description");
        }
        components = List.copyOf(components);
    }

    /**
     * One drug of a regimen.
     *
     * @param drug         the drug
     * @param dose         per administration, in the drug's unit
     * @param intervalDays days between administrations
     * @param cycles       how many administrations
     */
    record Component(Drug drug, double dose, double intervalDays, int cycles) {

        Component {
            if (drug == null || !(dose > 0) || !(intervalDays > 0) || cycles < 1) {
                throw new IllegalArgumentException("a regimen component has a drug, a positive dose and interval,"
                        + " and at least one cycle");
            }
        }
    }

    /** The regimen's doses if it starts on {@code startDay}. */
    List<Exposure.Dose> doses(double startDay) {
        List<Exposure.Dose> doses = new ArrayList<>();
        for (Component component : components) {
            for (int cycle = 0; cycle < component.cycles(); cycle++) {
                doses.add(new Exposure.Dose(startDay + cycle * component.intervalDays(), component.drug(),
                        component.dose() / component.drug().referenceDose()));
            }
        }
        return doses;
    }
}
