package org.twinbridge.tools.demo;

import java.io.PrintStream;
import org.twinbridge.federation.coordinator.FederatedResult;
import org.twinbridge.federation.coordinator.PooledTable;
import org.twinbridge.federation.coordinator.SiteStatus;

/** How the demo and {@code federation submit} print a federated task's outcome. */
public final class FederatedResults {

    private FederatedResults() {
    }

    /** Prints each site's status, then the pooled table with suppressed cells marked and the pooled statistics. */
    public static void print(PrintStream out, FederatedResult result) {
        out.println("   task " + result.taskId() + (result.partial() ? " (PARTIAL: not every site released)" : ""));
        for (SiteStatus s : result.sites()) {
            if (s instanceof SiteStatus.Ok ok) {
                out.printf("   %-16s ok        cohort %d, %d cell(s) suppressed, release %s recorded at %s%n",
                        s.site(), ok.answer().table().orElseThrow().cohort(),
                        ok.answer().table().orElseThrow().suppressedCells(),
                        ok.answer().releaseHash().orElse("").substring(0, 19) + "...",
                        ok.answer().auditEntry().orElse("?"));
            } else if (s instanceof SiteStatus.Declined d) {
                out.printf("   %-16s declined  %s%n", s.site(), d.reason());
            } else if (s instanceof SiteStatus.Failed f) {
                out.printf("   %-16s failed    %s%n", s.site(), f.reason());
            } else if (s instanceof SiteStatus.TimedOut t) {
                out.printf("   %-16s timed out %s%n", s.site(), t.reason());
            }
        }
        PooledTable pooled = result.pooled();
        if (pooled.sites().isEmpty()) {
            out.println("   nothing left any site.");
            return;
        }
        out.println("   pooled over " + String.join(", ", pooled.sites()) + " (cohort " + pooled.cohort() + "): "
                + pooled.title());
        StringBuilder header = new StringBuilder(String.format("   %-20s", "regimen"));
        pooled.columns().forEach(c -> header.append(String.format("%10s", c)));
        out.println(header);
        for (int r = 0; r < pooled.rows().size(); r++) {
            StringBuilder line = new StringBuilder(String.format("   %-20s", pooled.rows().get(r)));
            pooled.cells().get(r).forEach(c -> line.append(String.format("%10s", c)));
            out.println(line);
        }
        for (PooledTable.PooledStatistic s : pooled.statistics()) {
            out.printf("   %-70s %s%n", s.name(), s.mean().isPresent()
                    ? String.format("%+.1f (n=%d, noised at each site)", s.mean().getAsDouble(), s.n())
                    : "withheld");
        }
        out.println("   * suppressed at one or more sites (count below min-cell, or suppressed so that one cannot be "
                + "recovered from the totals); >=n* is the sum of what the other sites released");
    }

}
