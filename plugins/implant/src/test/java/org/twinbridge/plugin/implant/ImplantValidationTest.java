package org.twinbridge.plugin.implant;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The model against the documented depletion model and synthetic lead faults. */
class ImplantValidationTest {

    @Test
    void eriForecast_isAsGoodAsTheDevicesLatestEstimate_andItsIntervalMostlyHolds() {
        ImplantValidation.EriResult result = ImplantValidation.eri(60, 7);
        System.out.print(ImplantValidation.tables(result, ImplantValidation.faults(40, 7)));

        for (int h = 0; h < ImplantValidation.MONTHS_BEFORE.length; h++) {
            assertThat(result.twinMaeDays()[h]).as("%d months before ERI", ImplantValidation.MONTHS_BEFORE[h])
                    .isLessThanOrEqualTo(result.deviceMaeDays()[h] + 1);
            assertThat(result.coverage()[h]).as("coverage %d months before", ImplantValidation.MONTHS_BEFORE[h])
                    .isGreaterThanOrEqualTo(0.75);
        }
    }

    @Test
    void leadChecks_catchMostFaultsWithinFourWeeks_andRarelyAlertOnHealthyLeads() {
        ImplantValidation.FaultResult result = ImplantValidation.faults(40, 11);

        assertThat(result.fractureDetected()).isGreaterThanOrEqualTo(0.9);
        assertThat(result.breachDetected()).isGreaterThanOrEqualTo(0.9);
        assertThat(result.exitBlockDetected()).isGreaterThanOrEqualTo(0.8);
        assertThat(result.falseAlertsPerDeviceYear()).isLessThan(0.1);
    }
}
