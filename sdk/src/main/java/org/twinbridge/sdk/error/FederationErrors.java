package org.twinbridge.sdk.error;

/**
 * Federation errors: site identity and trust, signed tasks and results, a site's decision on a task, disclosure
 * control, and the coordinator's view of each site. Part of the {@link ErrorCatalogue}; a constant's name is its
 * code without the {@code TB-} prefix.
 */
public enum FederationErrors implements ErrorCode {
    FED_001("TB-FED-001",
            "The federation section of the node configuration is invalid (a missing or malformed key), or a node "
                    + "set to serve lacks what a site needs (federation.listen, policies.dir, plugins.trust-store).",
            "Fix the key at the file:line:column given; docs/federation.md lists every key with an example."),
    FED_002("TB-FED-002",
            "The site identity keystore cannot be read: missing, the wrong password, or no key and certificate in it.",
            "Run 'twinbridge federation init' to create the identity, or set the password variable the config names."),
    FED_003("TB-FED-003",
            "A peer presented a certificate this site does not trust: neither pinned with 'federation trust' nor "
                    + "issued by a trusted federation CA.",
            "If the peer is genuine, exchange certificates out of band and run 'twinbridge federation trust FILE'."),
    FED_004("TB-FED-004",
            "A peer's certificate has expired or is not valid yet.",
            "Ask the peer site for a new identity (twinbridge federation init --force) and trust its new certificate."),
    FED_005("TB-FED-005",
            "A peer's certificate is on this site's revocation list (revoked.txt) or on a trusted federation CA's "
                    + "revocation list (trust/crl).",
            "Nothing to do if the revocation was meant; otherwise remove it from revoked.txt, or have the CA "
                    + "issue a list without it."),
    FED_006("TB-FED-006",
            "A task or result is not validly CMS-signed, or was signed by another certificate than the TLS peer's.",
            "Check that the peer runs TwinBridge with the identity it connects with; a mismatch may be an attack."),
    FED_007("TB-FED-007",
            "A task has expired, was issued in the future, or asks for a lifetime longer than the site accepts.",
            "Resubmit the task; check both machines' clocks (NTP) if this repeats."),
    FED_008("TB-FED-008",
            "A task's nonce was seen before: the task was replayed.",
            "Submit a new task; a coordinator never reuses a nonce, so a replay may be an attack."),
    FED_009("TB-FED-009",
            "This site's policy set does not let the requesting site run the plugin for the purpose (default deny).",
            "If the site's privacy officer agrees, add a federation rule naming requester, plugin and purpose."),
    FED_010("TB-FED-010",
            "The task names an aggregate plugin that is not installed at this site.",
            "Install the signed plugin jar at the site, or submit the task with a plugin the site has."),
    FED_011("TB-FED-011",
            "Fewer subjects contributed than the site's minimum cohort size, so the site declines to answer.",
            "Nothing leaks; widen the cohort, or accept that this site cannot take part."),
    FED_012("TB-FED-012",
            "The task's cohort differs from one already released to the same requester by fewer than min-cell "
                    + "subjects, so the two answers could be differenced to isolate a patient; the site declines.",
            "Ask a question over a cohort that is either the same or differs by at least min-cell subjects."),
    FED_013("TB-FED-013",
            "The plugin's output looks row-level (a row per subject, a subject pseudonym in a label, or counts "
                    + "naming contributors it was not given), so the site refuses to release it.",
            "Fix the plugin to return only aggregates; report it to its vendor."),
    FED_014("TB-FED-014",
            "The plugin's output has more categories than max-categories, or a label longer than max-label-chars.",
            "Ask for fewer categories, or have the site's privacy officer raise the limit."),
    FED_015("TB-FED-015",
            "The aggregate plugin failed while running the task.",
            "See the site's log for the plugin's failure class; the records' content is never logged."),
    FED_016("TB-FED-016",
            "The coordinator could not reach a site, or the TLS handshake with it failed.",
            "Check the site's listen address, firewall and that both sites trust each other's certificate."),
    FED_017("TB-FED-017",
            "A site did not answer within the task's timeout; its part of the result is missing and flagged.",
            "Retry later, or raise --timeout if the site is slow rather than down."),
    FED_018("TB-FED-018",
            "A site's answer or a submitted task is malformed: not the expected JSON, or missing fields.",
            "Check that both sites run compatible TwinBridge versions."),
    FED_019("TB-FED-019",
            "This node is not allowed to coordinate federated tasks (federation.may-coordinate is false).",
            "Set federation.may-coordinate: true on the node that submits tasks."),
    FED_020("TB-FED-020",
            "A certificate or revocation list given to 'federation trust' (or found in the trust directory) cannot "
                    + "be read, or a revocation list is not signed by a trusted federation CA.",
            "Pass the peer's certificate in PEM form, as written by 'twinbridge federation init', or the CA's "
                    + "crl.pem written by 'federation crl' once the CA itself is trusted ('federation trust --ca')."),
    FED_021("TB-FED-021",
            "The aggregate plugin's sandboxed process failed: it could not start, exited, ran past the batch timeout "
                    + "or its memory limit, or answered with a malformed or oversized table. It was killed; the "
                    + "task failed and nothing left.",
            "The site's log and audit entry say which; report it to the plugin's vendor, or raise "
                    + "plugins.isolation limits if the task is genuinely larger.");

    private final Entry entry;

    FederationErrors(String code, String meaning, String fix) {
        this.entry = new Entry(code, meaning, fix);
    }

    @Override
    public Entry entry() {
        return entry;
    }
}
