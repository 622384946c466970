package org.twinbridge.tools.demo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.eclipse.paho.client.mqttv3.MqttException;

/**
 * A simulated pacemaker's remote-monitoring hub, worn by the first demo patient: it publishes a year of weekly
 * transmissions at once (a hub uploads its backlog when it reconnects) as FHIR Observations coded with ISO/IEEE
 * 11073-10103 MDC IDC terms, at QoS 1 to {@code devices/implant-1/idc}. The battery is nearing its elective
 * replacement indicator and the RV lead fractures three weeks before the end, so the implant twin has an ERI
 * forecast and alerts to show. Everything here is synthetic.
 */
final class ImplantSimulator {

    static final String DEVICE = "implant-1";
    static final int WEEKS = 52;
    private static final String[][] MEASURES = {
        {"urn:iso:std:iso:11073:10101", "721344", "MDC_IDC_MSMT_BATTERY_VOLTAGE", "V"},
        {"urn:iso:std:iso:11073:10101", "721472", "MDC_IDC_MSMT_BATTERY_REMAINING_LONGEVITY", "mo"},
        {"urn:iso:std:iso:11073:10101", "722177", "MDC_IDC_MSMT_LEADCHNL_RV_PACING_THRESHOLD_AMPLITUDE", "V"},
        {"urn:iso:std:iso:11073:10101", "722433", "MDC_IDC_MSMT_LEADCHNL_RV_IMPEDANCE_VALUE", "Ohm"},
        {"urn:iso:std:iso:11073:10101", "737536", "MDC_IDC_STAT_BRADY_RV_PERCENT_PACED", "%"},
    };

    private ImplantSimulator() {
    }

    /** The readings {@link #publishAll} sends. */
    static int total() {
        return WEEKS * MEASURES.length;
    }

    /** Publishes every transmission of the last year, ending at {@code now}; each publish waits for the ack. */
    static void publishAll(String brokerUrl, Instant now) throws MqttException {
        try (DemoPublisher client = DemoPublisher.connect(brokerUrl, "demo-implant")) {
            for (int week = 0; week < WEEKS; week++) {
                Instant at = now.minus(Duration.ofDays(7L * (WEEKS - 1 - week)));
                double wobble = Math.sin(week * 1.7);
                double[] values = {
                    Math.round((2.68 - 0.001 * week - 0.00004 * week * week + 0.004 * wobble) * 100) / 100.0,
                    Math.max(0, 14 - Math.floor(week * 12.0 / (WEEKS - 1))),
                    0.75 + (week % 3 == 0 ? 0.125 : 0),
                    Math.round(560 * (1 + 0.03 * wobble) * (week >= WEEKS - 3 ? 2.4 : 1)),
                    Math.round(40 + 3 * wobble),
                };
                for (int m = 0; m < MEASURES.length; m++) {
                    client.publish("devices/" + DEVICE + "/idc", observation(MEASURES[m], values[m], at)
                            .getBytes(StandardCharsets.UTF_8));
                }
            }
        }
    }

    private static String observation(String[] measure, double value, Instant at) {
        return String.format(Locale.ROOT, """
                {"resourceType":"Observation","id":"%s","status":"final",
                 "code":{"coding":[{"system":"%s","code":"%s","display":"%s"}]},
                 "effectiveDateTime":"%s",
                 "valueQuantity":{"value":%s,"unit":"%s","system":"http://unitsofmeasure.org","code":"%s"}}
                """, "idc-" + measure[1] + "-" + at.getEpochSecond(), measure[0], measure[1], measure[2], at,
                value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value), measure[3],
                measure[3]);
    }
}
