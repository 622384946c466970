package org.twinbridge.runtime.crypto;

import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Security;
import javax.crypto.Cipher;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Where each primitive comes from. One place, so the choice is visible and documented (docs/security.md):
 *
 * <ul>
 *   <li>BouncyCastle's JCA provider, registered at the lowest priority and always asked for by name, for the
 *       {@code java.security} services: Ed25519 and ECDSA key generation and signatures, X.509 certificates
 *       and CMS signatures (with bcpkix).</li>
 *   <li>BouncyCastle's lightweight API for HMAC-SHA256 and HKDF-SHA256: no JCE provider authentication is
 *       involved, so they work from the shaded jar (which cannot keep BouncyCastle's jar signature) on every
 *       JDK.</li>
 *   <li>The platform's {@code AES/GCM/NoPadding} (SunJCE) for bulk AES-256-GCM: it runs on the CPU's AES and
 *       carry-less multiply instructions, which are constant-time, whereas BouncyCastle's pure-Java AES uses
 *       lookup tables; BENCHMARKS.md has the throughput of both.</li>
 * </ul>
 */
public final class Crypto {

    private static final Provider BC = register();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Crypto() {
    }

    private static synchronized Provider register() {
        Provider existing = Security.getProvider(BouncyCastleProvider.PROVIDER_NAME);
        if (existing != null) {
            return existing;
        }
        Provider bc = new BouncyCastleProvider();
        Security.addProvider(bc);
        return bc;
    }

    /** BouncyCastle's JCA provider; registered on first use. */
    public static Provider bc() {
        return BC;
    }

    static SecureRandom random() {
        return RANDOM;
    }

    static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** A fresh AES-GCM cipher from the platform provider (see the class comment for why not BouncyCastle). */
    static Cipher aesGcm() throws GeneralSecurityException {
        return Cipher.getInstance("AES/GCM/NoPadding");
    }

    /** HMAC-SHA256 over the parts, each followed by nothing: callers separate fields themselves. */
    static byte[] hmacSha256(byte[] key, byte[]... parts) {
        HMac mac = new HMac(new SHA256Digest());
        mac.init(new KeyParameter(key));
        for (byte[] part : parts) {
            mac.update(part, 0, part.length);
        }
        byte[] out = new byte[mac.getMacSize()];
        mac.doFinal(out, 0);
        return out;
    }

    /** HKDF-SHA256 (RFC 5869) with no salt: derives {@code length} bytes bound to {@code info}. */
    static byte[] hkdfSha256(byte[] rootKey, byte[] info, int length) {
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(rootKey, null, info));
        byte[] out = new byte[length];
        hkdf.generateBytes(out, 0, length);
        return out;
    }
}
