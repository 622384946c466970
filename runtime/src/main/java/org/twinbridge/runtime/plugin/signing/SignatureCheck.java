package org.twinbridge.runtime.plugin.signing;

import java.util.Objects;
import java.util.Optional;

/**
 * The result of checking a plugin jar's signature against the node's trust store.
 *
 * @param signer      the signing certificate, described (subject, fingerprint, expiry), when one was found
 * @param fingerprint its SHA-256 fingerprint, hex
 * @param detail      what exactly was found, for the operator; never key material
 */
public record SignatureCheck(Status status, Optional<String> signer, Optional<String> fingerprint, String detail) {

    /** Each outcome, with its stable error code. */
    public enum Status {
        VALID("TB-SIGN-000", "signed by a trusted vendor"),
        UNSIGNED("TB-SIGN-001", "unsigned (no .sig file next to the jar)"),
        ALTERED("TB-SIGN-002", "the jar does not match its signature (altered after signing)"),
        UNTRUSTED("TB-SIGN-003", "signed by a certificate the trust store does not trust"),
        EXPIRED("TB-SIGN-004", "the signing certificate has expired or is not yet valid"),
        REVOKED("TB-SIGN-005", "the signing certificate is revoked"),
        MALFORMED("TB-SIGN-006", "the .sig file is not a usable CMS detached signature");

        private final String code;
        private final String meaning;

        Status(String code, String meaning) {
            this.code = code;
            this.meaning = meaning;
        }

        public String code() {
            return code;
        }

        public String meaning() {
            return meaning;
        }
    }

    public SignatureCheck {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(signer, "signer");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(detail, "detail");
    }

    public boolean valid() {
        return status == Status.VALID;
    }

    /** One line: code, meaning, detail. */
    public String message() {
        return status.code() + " " + status.meaning() + (detail.isEmpty() ? "" : ": " + detail);
    }
}
