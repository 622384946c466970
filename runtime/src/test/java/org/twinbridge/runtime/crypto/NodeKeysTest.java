package org.twinbridge.runtime.crypto;

import java.time.Clock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.twinbridge.runtime.testing.TestNode;

class NodeKeysTest {

    @TempDir
    Path dir;

    private Path keystore() throws Exception {
        return TestNode.copyKeystore(dir.resolve("keys.p12"));
    }

    @Test
    void init_holdsVersionOneOfEveryFamily_eachWithAnId() throws Exception {
        NodeKeys keys = NodeKeys.load(keystore(), TestNode.password());

        assertThat(keys.keyIds()).containsExactly("kek-v1", "pseudonym-v1", "link-v1", "audit-signing-v1",
                "node-identity-v1");
        assertThat(keys.keys()).allSatisfy(info -> assertThat(info.current()).isTrue());
        assertThat(keys.keys()).filteredOn(i -> i.id().family() == KeyFamily.AUDIT_SIGNING).singleElement()
                .satisfies(i -> assertThat(i.algorithm()).isEqualTo("Ed25519"));
        assertThat(keys.nodeCertificate().getSubjectX500Principal().getName()).contains("CN=" + TestNode.NODE_ID);
        keys.nodeCertificate().verify(keys.nodeCertificate().getPublicKey());
    }

    @Test
    void init_overAnExistingKeystore_refuses() throws Exception {
        Path existing = keystore();

        assertThatThrownBy(() -> NodeKeys.init(existing, TestNode.password(), "x", Clock.systemUTC()))
                .hasMessageStartingWith("TB-KEYS-003");
    }

    @Test
    void load_withTheWrongPassword_failsWithoutSayingMore() throws Exception {
        Path file = keystore();

        assertThatThrownBy(() -> NodeKeys.load(file, "wrong".toCharArray()))
                .isInstanceOf(NodeKeys.KeyStoreFailure.class).hasMessageContaining("TB-KEYS-005");
    }

    @Test
    void rotate_kek_addsVersionTwoAsCurrent_andKeepsVersionOne() throws Exception {
        Path file = keystore();

        KeyInfo added = NodeKeys.rotate(file, TestNode.password(), KeyFamily.KEK, TestNode.NODE_ID, Clock.systemUTC());
        NodeKeys keys = NodeKeys.load(file, TestNode.password());

        assertThat(added.id()).hasToString("kek-v2");
        assertThat(keys.current(KeyFamily.KEK)).hasToString("kek-v2");
        assertThat(keys.keyIds()).contains("kek-v1", "kek-v2");
        assertThat(keys.dataKeys().currentKek()).isEqualTo("kek-v2");
    }

    @Test
    void rotate_auditSigningKey_newSignaturesUseIt_andOldOnesStillVerify() throws Exception {
        Path file = keystore();
        NodeKeys before = NodeKeys.load(file, TestNode.password());
        byte[] data = "checkpoint".getBytes(StandardCharsets.UTF_8);
        byte[] oldSignature = before.auditSigner().sign(data);

        NodeKeys.rotate(file, TestNode.password(), KeyFamily.AUDIT_SIGNING, TestNode.NODE_ID, Clock.systemUTC());
        NodeKeys after = NodeKeys.load(file, TestNode.password());

        assertThat(after.auditSigner().keyId()).isEqualTo("audit-signing-v2");
        assertThat(after.auditVerifier().verify("audit-signing-v1", data, oldSignature)).isTrue();
        assertThat(after.auditVerifier().verify("audit-signing-v2", data, oldSignature)).isFalse();
        assertThat(after.auditVerifier().verify("audit-signing-v2", data, after.auditSigner().sign(data))).isTrue();
    }

    @Test
    void rotate_pseudonymRoot_isRefused_becauseEverySubjectWouldChange() throws Exception {
        Path file = keystore();

        assertThatThrownBy(() -> NodeKeys.rotate(file, TestNode.password(), KeyFamily.PSEUDONYM, "x", Clock.systemUTC()))
                .hasMessageStartingWith("TB-KEYS-010");
    }

    @Test
    void load_aKeystoreFromBeforeKeyVersioning_saysSo() throws Exception {
        Path old = dir.resolve("old.p12");
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, TestNode.password());
        store.setEntry("journal-v1", new KeyStore.SecretKeyEntry(new SecretKeySpec(new byte[32], "AES")),
                new KeyStore.PasswordProtection(TestNode.password()));
        try (var out = Files.newOutputStream(old)) {
            store.store(out, TestNode.password());
        }

        assertThatThrownBy(() -> NodeKeys.load(old, TestNode.password())).hasMessageStartingWith("TB-KEYS-007")
                .hasMessageContaining("journal-v1");
    }

    @Test
    void pseudonyms_areStablePerDomain_andUnlinkableAcrossDomains() throws Exception {
        Pseudonyms pseudonyms = NodeKeys.load(keystore(), TestNode.password()).pseudonyms();

        String a = pseudonyms.of("recipient|a", "patient|1");
        assertThat(pseudonyms.of("recipient|a", "patient|1")).isEqualTo(a).hasSize(26);
        assertThat(pseudonyms.of("recipient|b", "patient|1")).isNotEqualTo(a);
        assertThat(pseudonyms.hash("recipient|a", "patient|1")).hasSize(64);
    }

    @Test
    void toString_ofEveryKeyHoldingType_namesIdsOnly() throws Exception {
        NodeKeys keys = NodeKeys.load(keystore(), TestNode.password());

        List<Object> holders = List.of(keys, keys.dataKeys(), keys.pseudonyms(), keys.identifierHashes(),
                keys.auditSigner(), keys.auditVerifier());
        assertThat(holders).extracting(Object::toString).allSatisfy(text ->
                assertThat(text).doesNotContainPattern("[0-9a-f]{32}").doesNotContainPattern("[A-Za-z0-9+/]{40}"));
        assertThat(keys.toString()).contains("keys.p12");
    }
}
