package org.twinbridge.federation.site;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.LocalDate;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.hl7.fhir.r4.model.IdType;
import org.twinbridge.policy.enforcement.EnforcementContext;
import org.twinbridge.policy.enforcement.ReferenceMapper;

/**
 * The enforcement context of one federated task: pseudonyms and date offsets keyed by a random key that lives for
 * that task only, so the plugin's pseudonyms are stable within the task and unlinkable across tasks and with every
 * other key domain of the node.
 */
final class TaskEnforcementContext implements EnforcementContext {

    private final byte[] taskKey;
    private final String plugin;
    private final String patientKey;
    private final LocalDate today;
    private final String recordId;

    TaskEnforcementContext(byte[] taskKey, String plugin, String patientKey, LocalDate today, String recordId) {
        this.taskKey = taskKey;
        this.plugin = plugin;
        this.patientKey = patientKey;
        this.today = today;
        this.recordId = recordId;
    }

    /** The subject pseudonym of a patient for this task. */
    static String subject(byte[] taskKey, String plugin, String patientKey) {
        return hmac(taskKey, "subject|" + plugin + "|" + patientKey).substring(0, 26);
    }

    @Override
    public String pseudonym(String value) {
        return hmac(taskKey, "pseudonym|" + plugin + "|" + value).substring(0, 26);
    }

    @Override
    public ReferenceMapper references() {
        return reference -> {
            String type = new IdType(reference).getResourceType();
            return (type == null ? "Resource" : type) + "/" + pseudonym(reference);
        };
    }

    @Override
    public int dateShiftDays(int maxDays) {
        long value = Long.parseLong(hmac(taskKey, "date-shift|" + plugin + "|" + patientKey).substring(0, 12), 16);
        return (int) (value % (2L * maxDays + 1)) - maxDays;
    }

    @Override
    public LocalDate today() {
        return today;
    }

    @Override
    public String resourceId() {
        return pseudonym("record|" + recordId);
    }

    static String hmac(byte[] key, String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is required by every Java platform", e);
        }
    }
}
