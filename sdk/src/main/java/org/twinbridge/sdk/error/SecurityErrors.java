package org.twinbridge.sdk.error;

/**
 * Security errors: record encryption, node keys, plugin signatures and plugin loading.
 * Part of the {@link ErrorCatalogue}; a constant's name is its code without the {@code TB-} prefix.
 */
public enum SecurityErrors implements ErrorCode {
    CRYPTO_001("TB-CRYPTO-001",
            "AES-GCM encryption of a record failed inside the Java crypto provider.",
            "Check that the JVM's crypto provider supports AES-GCM (a standard JDK does); report it if it does."),
    CRYPTO_002("TB-CRYPTO-002",
            "A stored ciphertext has an unknown format byte or is too short to hold one, so it was altered or "
                    + "truncated.",
            "Treat it as tampering or corruption of the named data; restore it from a backup."),
    CRYPTO_003("TB-CRYPTO-003",
            "A stored ciphertext failed authentication: it was altered, or moved from another record.",
            "Treat it as tampering; restore the affected rows from a backup."),
    CRYPTO_004("TB-CRYPTO-004",
            "AES-GCM decryption of a record failed inside the Java crypto provider for a reason other than "
                    + "failed authentication.",
            "Check that the JVM's crypto provider supports AES-GCM; report it with the exception it names."),
    CRYPTO_010("TB-CRYPTO-010",
            "The JVM cannot generate Ed25519 or P-256 keys.",
            "Run the node on a JDK 17 or later with its standard security providers enabled."),
    CRYPTO_011("TB-CRYPTO-011",
            "A certificate was asked for a key of an unsupported algorithm.",
            "Use an Ed25519, EC (P-256) or RSA key."),
    CRYPTO_012("TB-CRYPTO-012",
            "A self-signed certificate could not be created for the node's key.",
            "Check the key's algorithm and the JVM's security providers; report it with the exception class named."),
    CRYPTO_013("TB-CRYPTO-013",
            "A certificate could not be encoded, so it cannot be written or fingerprinted.",
            "Check that the certificate file is a valid X.509 certificate; report it if it is."),
    CRYPTO_020("TB-CRYPTO-020",
            "Signing an audit checkpoint with Ed25519 failed.",
            "Check that the keystore's audit-signing key is an Ed25519 private key ('twinbridge keys list')."),
    KEYS_001("TB-KEYS-001",
            "The node's keystore file does not exist.",
            "Create it with 'twinbridge keys init --config FILE', or point keys.keystore at the existing one."),
    KEYS_002("TB-KEYS-002",
            "A secret the configuration names cannot be found: its environment variable is not set or its "
                    + "password file cannot be read.",
            "Set the named variable, or make the named file readable by the node."),
    KEYS_003("TB-KEYS-003",
            "'keys init' found a keystore already at the path and refused to overwrite it, because that would "
                    + "make every stored record unreadable.",
            "Keep the existing keystore; use 'keys rotate' for new key versions, or choose another path for a "
                    + "new node."),
    KEYS_004("TB-KEYS-004",
            "The keystore file could not be created or written.",
            "Check the directory exists and the node may write to it, and that the disk is not full."),
    KEYS_005("TB-KEYS-005",
            "The keystore could not be opened or read: the password is wrong or the file is damaged.",
            "Check the keystore password source (keys.password-env or password-file) and restore the file "
                    + "from a backup if damaged."),
    KEYS_006("TB-KEYS-006",
            "The keystore lacks a key the node needs, or holds an entry of the wrong kind under a key's alias.",
            "Use the node's own keystore; create missing keys with 'twinbridge keys init' on a new node only."),
    KEYS_007("TB-KEYS-007",
            "The keystore holds an entry this version does not recognise, such as one from a development "
                    + "build before key versioning.",
            "Create a new keystore with 'twinbridge keys init' for a new database, or use the keystore that "
                    + "belongs to this database."),
    KEYS_010("TB-KEYS-010",
            "The key family asked for cannot be rotated.",
            "Rotate the families the message allows; see docs/security.md (key lifecycle)."),
    KEYS_011("TB-KEYS-011",
            "Only KEK versions can be retired; old audit-signing keys verify old checkpoints and node "
                    + "identity keys are replaced by rotation.",
            "Retire a kek-vN version, not another family's key."),
    KEYS_012("TB-KEYS-012",
            "The keystore holds no such KEK version to retire.",
            "Use one of the key ids the message lists ('twinbridge keys list')."),
    KEYS_013("TB-KEYS-013",
            "The KEK asked to be retired is the current one.",
            "Rotate first ('twinbridge keys rotate --key kek'), re-wrap, then retire the old version."),
    KEYS_014("TB-KEYS-014",
            "Data keys are still wrapped by the KEK asked to be retired.",
            "Run 'twinbridge keys rewrap' (or let the node finish its background re-wrap) first."),
    KEYS_015("TB-KEYS-015",
            "'keys rotate' was given an unknown key family.",
            "Use --key kek, audit-signing or node-identity."),
    KEYS_016("TB-KEYS-016",
            "The keystore was created, but its keys.init audit entry could not be written because storage was "
                    + "not available.",
            "Nothing to fix in the keystore; the node records its keys when it next starts with storage available."),
    KEYS_017("TB-KEYS-017",
            "'keys retire' was given a text that is not a key id.",
            "Give a key version such as kek-v1, as 'twinbridge keys list' shows them."),
    KEYS_020("TB-KEYS-020",
            "A data key does not exist or was destroyed (crypto-shredded), so the data it protected cannot be read.",
            "Nothing can recover crypto-shredded data; if the key should exist, restore the database from a backup."),
    KEYS_021("TB-KEYS-021",
            "A data key is wrapped by a KEK this keystore does not hold (retired, or the keystore is older "
                    + "than the database).",
            "Use the keystore that matches the database, or restore the retired KEK version."),
    KEYS_030("TB-KEYS-030",
            "Information: the node re-wrapped data keys under the current KEK.",
            "Nothing to do; an old KEK can be retired once no data key is wrapped by it."),
    SIGN_000("TB-SIGN-000",
            "Plugin signature status: the jar is signed by a trusted vendor.",
            "Nothing to do."),
    SIGN_001("TB-SIGN-001",
            "Plugin signature status: the jar is unsigned (no .sig file next to it).",
            "Ask the vendor for the signed jar and its .sig, or sign your own with 'twinbridge plugin sign'."),
    SIGN_002("TB-SIGN-002",
            "Plugin signature status: the jar does not match its signature, so it was altered after signing.",
            "Do not load it; get the jar again from the vendor."),
    SIGN_003("TB-SIGN-003",
            "Plugin signature status: the signing certificate is not trusted by the trust store.",
            "Add the vendor's certificate to plugins.trust-store if you trust that vendor."),
    SIGN_004("TB-SIGN-004",
            "Plugin signature status: the signing certificate has expired or is not yet valid.",
            "Ask the vendor for a jar signed with a currently valid certificate, and check the node's clock."),
    SIGN_005("TB-SIGN-005",
            "Plugin signature status: the signing certificate is revoked.",
            "Do not load it; ask the vendor for a jar signed with a certificate in good standing."),
    SIGN_006("TB-SIGN-006",
            "Plugin signature status: the .sig file is not a usable CMS detached signature.",
            "Get the .sig again from the vendor, or re-sign the jar."),
    SIGN_007("TB-SIGN-007",
            "The plugin trust store is not a directory, cannot be listed, or holds a file that cannot be read.",
            "Point plugins.trust-store at a readable directory of trusted vendor certificates (*.pem), "
                    + "optionally revoked.txt and *.crl."),
    SIGN_010("TB-SIGN-010",
            "Signing a plugin jar failed, typically because the key's type is not Ed25519, EC or RSA or it "
                    + "does not match the certificate.",
            "Use a signing keystore whose private key matches its certificate."),
    SIGN_011("TB-SIGN-011",
            "The signing keystore could not be opened or its key read: wrong password, damaged file, or not PKCS#12.",
            "Check the keystore path, its format (PKCS#12) and its password."),
    SIGN_012("TB-SIGN-012",
            "The signing keystore holds several private keys and no --alias chose one.",
            "Choose one of the listed aliases with --alias."),
    SIGN_013("TB-SIGN-013",
            "The plugin jar to sign or verify is not a file.",
            "Give the path of an existing plugin jar."),
    SIGN_014("TB-SIGN-014",
            "The signing keystore's password cannot be found: its environment variable is not set or its "
                    + "password file cannot be read.",
            "Set the variable, or give a readable --password-file FILE."),
    SIGN_015("TB-SIGN-015",
            "The signing keystore entry chosen with --alias is not a private key with a certificate.",
            "Choose one of the aliases the message lists that holds a private key."),
    PLUGIN_001("TB-PLUGIN-001",
            "The plugin directory does not exist, so no twin plugins were loaded.",
            "Create plugins.dir and put the plugin jars in it, or fix the path."),
    PLUGIN_002("TB-PLUGIN-002",
            "A plugin jar was refused at start: it failed to start, has no TwinModel extension, its "
                    + "manifest() threw, or its manifest id differs from its Plugin-Id.",
            "Fix the plugin as the message says, or ask its vendor for a working build."),
    PLUGIN_003("TB-PLUGIN-003",
            "A plugin jar was refused before loading, for example for its signature status or because it "
                    + "cannot be read.",
            "Act on the reason given, typically by installing the vendor's signed jar and .sig."),
    PLUGIN_004("TB-PLUGIN-004",
            "A plugin jar cannot be read: it is larger than 512 MiB or an I/O error occurred.",
            "Check the file in plugins.dir is a complete, readable plugin jar."),
    PLUGIN_005("TB-PLUGIN-005",
            "The plugin directory cannot be listed.",
            "Check the permissions of plugins.dir."),
    PLUGIN_006("TB-PLUGIN-006",
            "A file in the plugin directory is neither a plugin jar nor its .sig, so it is ignored.",
            "Remove the file from plugins.dir, or ignore the warning."),
    PLUGIN_010("TB-PLUGIN-010",
            "An unsigned or untrusted plugin is loaded because plugins.require-signed is false.",
            "Sign your plugins, configure plugins.trust-store and set require-signed to true for production "
                    + "(docs/operators.md)."),
    PLUGIN_020("TB-PLUGIN-020",
            "A plugin tried to load a class it may not see: plugins see only the JDK, the TwinBridge SDK, "
                    + "HAPI FHIR, pf4j and SLF4J.",
            "Bundle the library inside the plugin jar, or use only the SDK's API."),
    PLUGIN_031("TB-PLUGIN-031",
            "A plugin process broke the node's protocol (an unsolicited, malformed or oversized frame, or an answer "
                    + "that does not match its batch); the process was killed and the batch will be retried or parked.",
            "Ask the plugin's vendor; 'deadletter list' shows the parked deliveries once the plugin is fixed."),
    PLUGIN_032("TB-PLUGIN-032",
            "A plugin process could not load its plugin: the jar did not start under pf4j or does not hold exactly "
                    + "one TwinModel extension.",
            "Ask the plugin's vendor for a jar with one TwinModel extension that starts under pf4j."),
    PLUGIN_033("TB-PLUGIN-033",
            "The node could not build the class path its plugin processes run with (the SDK and its libraries) "
                    + "in its data directory.",
            "Check that the node's data directory is writable and has free space, then restart the node."),
    PLUGIN_034("TB-PLUGIN-034",
            "A plugin process could not be started, or the node was interrupted while starting it.",
            "Check that the JDK and bubblewrap are installed and that the machine has memory to spare; the node "
                    + "retries with backoff."),
    PLUGIN_035("TB-PLUGIN-035",
            "A plugin process crashed, hung past its batch timeout or exceeded its memory limit; it was killed and "
                    + "is restarted with backoff, and its batch is retried and then parked.",
            "Ask the plugin's vendor; raise plugins.process limits only if the plugin needs more and you trust that."),
    PLUGIN_036("TB-PLUGIN-036",
            "An isolated plugin was asked to deliver without the node's state store.",
            "This is a defect in the node; report it with the log line."),
    PLUGIN_037("TB-PLUGIN-037",
            "A plugin was refused at start because no OS sandbox (bubblewrap) works on this machine and "
                    + "plugins.allow-unsandboxed is not set.",
            "Install bubblewrap (Debian: apt-get install bubblewrap), or set plugins.allow-unsandboxed: true "
                    + "knowing that plugins then run without an OS sandbox."),
    PLUGIN_038("TB-PLUGIN-038",
            "Warning: plugins run in their own processes but without an OS sandbox, because "
                    + "plugins.allow-unsandboxed is true and no sandbox works here.",
            "Install bubblewrap and remove plugins.allow-unsandboxed, so plugins have no network or node files."),
    PLUGIN_039("TB-PLUGIN-039",
            "Warning: a plugin listed in plugins.trusted runs inside the node's own process, unisolated, with "
                    + "access to everything the node holds.",
            "List only plugins you would trust with the node's keys and database; remove the rest from "
                    + "plugins.trusted."),
    PLUGIN_040("TB-PLUGIN-040",
            "A plugin jar's manifest is not one the node can load: its Plugin-Kind is neither twin nor connector, or "
                    + "a connector plugin names no valid Connector-Types.",
            "Ask the vendor for a jar whose manifest has Plugin-Kind: connector and Connector-Types: <type>[, ...] "
                    + "(lower-case letters, digits and dashes), or no Plugin-Kind for a twin plugin."),
    PLUGIN_041("TB-PLUGIN-041",
            "A connector plugin was refused: its SourceConnector's type() is not declared in its manifest's "
                    + "Connector-Types, or that type is already provided by a built-in connector or another plugin.",
            "Ask the vendor to declare the type in the manifest; remove the other jar that provides the same type."),
    PLUGIN_042("TB-PLUGIN-042",
            "Notice: a connector plugin was loaded. It runs inside the node's process (in its own class loader that "
                    + "shows only the SDK and its libraries) and sees, in clear, the source data it ingests.",
            "Nothing to do if you trust the signer with that data; otherwise remove the jar from the plugin "
                    + "directory or its signer's certificate from the trust store."),
    PLUGIN_043("TB-PLUGIN-043",
            "A connector plugin threw while building its routes at start, so the node did not start.",
            "Report the exception class in the message to the connector's vendor; check its settings against the "
                    + "vendor's documentation.");

    private final Entry entry;

    SecurityErrors(String code, String meaning, String fix) {
        this.entry = new Entry(code, meaning, fix);
    }

    @Override
    public Entry entry() {
        return entry;
    }
}
