import test from 'ava';
import { X509Certificate } from 'node:crypto';
import { selfSignedCertificate } from '../../../src/tfplugin/wire/certificate';

test('a self-signed P-256 certificate for localhost that is its own CA, with a minimal serial', (t) => {
  for (let i = 0; i < 20; i++) {
    const { der, certPem, keyPem } = selfSignedCertificate();
    const cert = new X509Certificate(der);
    t.is(cert.subjectAltName, 'DNS:localhost');
    t.true(cert.ca);
    t.true(cert.verify(cert.publicKey));
    t.true(cert.checkIssued(cert));
    t.is(cert.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
    t.not(cert.serialNumber.slice(0, 2), '00');
    t.true(certPem.startsWith('-----BEGIN CERTIFICATE-----\n'));
    t.true(keyPem.includes('PRIVATE KEY'));
  }
});
