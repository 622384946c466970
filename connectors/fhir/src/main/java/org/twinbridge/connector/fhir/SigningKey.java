package org.twinbridge.connector.fhir;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import org.twinbridge.sdk.connector.ConnectorConfigException;

/**
 * The private key that signs SMART Backend Services client assertions, loaded from a PKCS#12 keystore, with its
 * JWS algorithm (RS384 or ES384, the two the SMART specification requires servers to support) and key id.
 * {@link #toString()} shows metadata only.
 *
 * @param algorithm {@code RS384} or {@code ES384}
 * @param keyId     the JWS {@code kid}: as configured, or the key's RFC 7638 JWK thumbprint
 * @param source    the keystore file and alias, for messages
 */
record SigningKey(String algorithm, String keyId, String source, PrivateKey privateKey) {

    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    /** Signs {@code input} as JWS requires for the algorithm (ES384: r || s, 48 bytes each). */
    byte[] sign(byte[] input) throws GeneralSecurityException {
        Signature signature = Signature.getInstance(algorithm.equals("RS384") ? "SHA384withRSA"
                : "SHA384withECDSAinP1363Format");
        signature.initSign(privateKey);
        signature.update(input);
        return signature.sign();
    }

    @Override
    public String toString() {
        return "SigningKey[" + algorithm + ", kid=" + keyId + ", " + source + "]";
    }

    /**
     * Loads the key {@code alias} from a PKCS#12 file. The key's password is the keystore's, as usual for PKCS#12.
     *
     * @param algorithm the configured algorithm, or empty to choose by key type
     * @param keyId     the configured key id, or empty for the JWK thumbprint
     */
    static SigningKey load(Path file, String alias, Secret password, Optional<String> algorithm,
            Optional<String> keyId) throws ConnectorConfigException {
        KeyStore store;
        try (InputStream in = Files.newInputStream(file)) {
            store = KeyStore.getInstance("PKCS12");
            store.load(in, password.reveal().toCharArray());
        } catch (IOException | InvalidPathException | GeneralSecurityException e) {
            throw new ConnectorConfigException("auth", "'auth.keystore' names " + file + ", which cannot be read as "
                    + "a PKCS#12 keystore with its password (" + e.getClass().getSimpleName() + ")");
        }
        PrivateKey key;
        Certificate certificate;
        try {
            key = store.getKey(alias, password.reveal().toCharArray()) instanceof PrivateKey k ? k : null;
            certificate = store.getCertificate(alias);
        } catch (GeneralSecurityException e) {
            throw new ConnectorConfigException("auth", "'auth.key-alias' " + alias + " in " + file
                    + " cannot be read with the keystore password (" + e.getClass().getSimpleName() + ")");
        }
        if (key == null || certificate == null) {
            throw new ConnectorConfigException("auth", "'auth.key-alias' " + alias + " is not a private key with a "
                    + "certificate in " + file);
        }
        PublicKey publicKey = certificate.getPublicKey();
        String natural = publicKey instanceof RSAPublicKey ? "RS384" : publicKey instanceof ECPublicKey ? "ES384" : "";
        String chosen = algorithm.map(a -> a.toUpperCase(Locale.ROOT)).orElse(natural);
        if (!chosen.equals("RS384") && !chosen.equals("ES384")) {
            throw new ConnectorConfigException("auth", "'auth.algorithm' must be RS384 or ES384 (the key "
                    + alias + " is " + publicKey.getAlgorithm() + ")");
        }
        if (!chosen.equals(natural)) {
            throw new ConnectorConfigException("auth", "'auth.algorithm' " + chosen + " does not fit the key " + alias
                    + ", which is " + publicKey.getAlgorithm() + "; RS384 needs an RSA key, ES384 an EC P-384 key");
        }
        if (publicKey instanceof ECPublicKey ec && ec.getParams().getCurve().getField().getFieldSize() != 384) {
            throw new ConnectorConfigException("auth", "'auth.key-alias' " + alias + " is an EC key on a "
                    + ec.getParams().getCurve().getField().getFieldSize() + "-bit curve; ES384 needs P-384");
        }
        if (publicKey instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() < 2048) {
            throw new ConnectorConfigException("auth", "'auth.key-alias' " + alias + " is an RSA key of "
                    + rsa.getModulus().bitLength() + " bits; at least 2048 are required");
        }
        return new SigningKey(chosen, keyId.orElseGet(() -> thumbprint(publicKey)), file + "#" + alias, key);
    }

    /** The RFC 7638 JWK SHA-256 thumbprint, base64url: a key id the server can compute from the registered JWK. */
    static String thumbprint(PublicKey publicKey) {
        String canonical;
        if (publicKey instanceof RSAPublicKey rsa) {
            canonical = "{\"e\":\"" + b64(unsigned(rsa.getPublicExponent(), 0)) + "\",\"kty\":\"RSA\",\"n\":\""
                    + b64(unsigned(rsa.getModulus(), 0)) + "\"}";
        } else {
            ECPublicKey ec = (ECPublicKey) publicKey;
            int size = (ec.getParams().getCurve().getField().getFieldSize() + 7) / 8;
            canonical = "{\"crv\":\"P-384\",\"kty\":\"EC\",\"x\":\"" + b64(unsigned(ec.getW().getAffineX(), size))
                    + "\",\"y\":\"" + b64(unsigned(ec.getW().getAffineY(), size)) + "\"}";
        }
        try {
            return b64(MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    // Big-endian magnitude without a sign byte, left-padded to `length` bytes when length > 0.
    private static byte[] unsigned(BigInteger value, int length) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        if (length > bytes.length) {
            byte[] padded = new byte[length];
            System.arraycopy(bytes, 0, padded, length - bytes.length, bytes.length);
            return padded;
        }
        return bytes;
    }

    private static String b64(byte[] bytes) {
        return B64URL.encodeToString(bytes);
    }
}
