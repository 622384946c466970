package org.twinbridge.plugin.tumour;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Fits the growth model to a subject's assessments and simulates each regimen of the catalogue, plus the
 * untreated course, from the latest assessment to a horizon. Stateless and thread-safe.
 *
 * <p>Each simulation starts at the latest assessment, from its measured sum (anchored on the measurement, not
 * the fitted curve), with the regimen's first dose that day; earlier doses the subject received keep acting as
 * they decay. The projected RECIST category compares the sum at the horizon with that baseline and with the
 * nadir of the assessments a trial would make every {@value #ASSESSMENT_EVERY_WEEKS} weeks.
 */
final class RegimenProjector {

    static final int MIN_ASSESSMENTS = 2;
    static final int DEFAULT_HORIZON_WEEKS = 24;
    static final int ASSESSMENT_EVERY_WEEKS = 6;
    private static final double DAY_SECONDS = 86_400;

    private final RegimenCatalogue catalogue;
    private final int horizonWeeks;

    RegimenProjector(RegimenCatalogue catalogue, int horizonWeeks) {
        this.catalogue = Objects.requireNonNull(catalogue, "catalogue");
        if (horizonWeeks < 1) {
            throw new IllegalArgumentException("the horizon is at least one week, was " + horizonWeeks);
        }
        this.horizonWeeks = horizonWeeks;
    }

    int horizonWeeks() {
        return horizonWeeks;
    }

    /** The projection, or nothing with fewer than {@value #MIN_ASSESSMENTS} assessments. */
    Optional<Projection> project(List<TargetLesions.Assessment> assessments, List<TumourState.Given> given) {
        if (assessments.size() < MIN_ASSESSMENTS) {
            return Optional.empty();
        }
        Instant reference = assessments.get(0).at();
        List<GompertzFit.Point> points = new ArrayList<>();
        for (TargetLesions.Assessment a : assessments) {
            points.add(new GompertzFit.Point(day(reference, a.at()), a.sumMm()));
        }
        List<Exposure.Dose> past = new ArrayList<>();
        for (TumourState.Given dose : given) {
            catalogue.drug(dose.drug()).ifPresent(drug -> past.add(
                    new Exposure.Dose(day(reference, dose.at()), drug, dose.dose() / drug.referenceDose())));
        }
        Exposure history = new Exposure(past);
        GompertzFit.Result fit = GompertzFit.fit(points, history);

        TargetLesions.Assessment latest = assessments.get(assessments.size() - 1);
        double start = day(reference, latest.at());
        List<Double> weeks = new ArrayList<>();
        for (int week = 0; week <= horizonWeeks; week++) {
            weeks.add(start + 7.0 * week);
        }
        List<Regimen> regimens = new ArrayList<>();
        regimens.add(Regimen.UNTREATED);
        regimens.addAll(catalogue.regimens());
        List<Outcome> outcomes = new ArrayList<>();
        for (Regimen regimen : regimens) {
            Exposure exposure = history.plus(regimen.doses(start));
            List<Double> sizes = fit.model().simulate(latest.sumMm(), start, weeks, exposure);
            double nadir = latest.sumMm();
            for (int week = ASSESSMENT_EVERY_WEEKS; week < horizonWeeks; week += ASSESSMENT_EVERY_WEEKS) {
                nadir = Math.min(nadir, sizes.get(week));
            }
            double atHorizon = sizes.get(horizonWeeks);
            outcomes.add(new Outcome(regimen, latest.sumMm(), sizes, nadir,
                    RecistCategory.of(latest.sumMm(), nadir, atHorizon)));
        }
        Instant from = latest.at();
        return Optional.of(new Projection(from, from.plus(Duration.ofDays(7L * horizonWeeks)), fit,
                assessments.size(), start, outcomes));
    }

    private static double day(Instant reference, Instant at) {
        return Duration.between(reference, at).toMillis() / 1000.0 / DAY_SECONDS;
    }

    /**
     * A projection for one subject.
     *
     * @param from        the latest assessment's time, where the simulations start
     * @param to          the horizon
     * @param fit         the fitted model
     * @param assessments how many assessments it was fitted to
     * @param spanDays    days from the first to the latest assessment
     * @param outcomes    one per regimen, the untreated course first
     */
    record Projection(Instant from, Instant to, GompertzFit.Result fit, int assessments, double spanDays,
            List<Outcome> outcomes) {

        Projection {
            outcomes = List.copyOf(outcomes);
        }
    }

    /**
     * One regimen's simulated course.
     *
     * @param regimen    the regimen
     * @param baselineMm the sum it starts from (the latest measured)
     * @param weeklyMm   the predicted sum each week, from week 0 (the baseline) to the horizon
     * @param nadirMm    the smallest sum at the baseline and the assessments before the horizon
     * @param category   the projected RECIST 1.1 category at the horizon
     */
    record Outcome(Regimen regimen, double baselineMm, List<Double> weeklyMm, double nadirMm,
            RecistCategory category) {

        Outcome {
            weeklyMm = List.copyOf(weeklyMm);
        }

        double atHorizonMm() {
            return weeklyMm.get(weeklyMm.size() - 1);
        }

        /** The change at the horizon from the baseline, percent. */
        double changePercent() {
            return 100 * (atHorizonMm() - baselineMm) / baselineMm;
        }
    }
}
