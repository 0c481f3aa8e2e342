/**
 * TLS certificates for the simulated Adyen terminal: a throwaway root CA and a server certificate
 * for `<POIID>.test.terminal.adyen.com`, made with `openssl` (Debian package `openssl`) in a temporary
 * directory and cached per process. The root is what the driver must trust, as Adyen's root is for
 * a real terminal.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface Certificates {
  caPem: string;
  certPem: string;
  keyPem: string;
}

const certificates = new Map<string, Promise<Certificates>>();

/** A root CA and a server certificate for `commonName`, made with openssl (cached per process). */
export function certificatesFor(commonName: string): Promise<Certificates> {
  let made = certificates.get(commonName);
  if (made === undefined) {
    made = makeCertificates(commonName);
    certificates.set(commonName, made);
    made.catch(() => certificates.delete(commonName));
  }
  return made;
}

async function makeCertificates(commonName: string): Promise<Certificates> {
  const dir = await mkdtemp(join(tmpdir(), "galley-adyen-sim-"));
  const file = (name: string): string => join(dir, name);
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  try {
    await run("openssl", [
      "req", "-x509", ...ec, "-days", "7", "-subj", "/CN=Galley simulated Adyen terminal root",
      "-keyout", file("ca.key"), "-out", file("ca.pem"),
    ]); // prettier-ignore
    await run("openssl", [
      "req", "-new", ...ec, "-subj", `/CN=${commonName}`, "-keyout", file("server.key"), "-out", file("server.csr"),
    ]); // prettier-ignore
    await run("openssl", [
      "x509", "-req", "-in", file("server.csr"), "-CA", file("ca.pem"), "-CAkey", file("ca.key"),
      "-CAcreateserial", "-days", "7", "-out", file("server.pem"),
    ]); // prettier-ignore
    const [caPem, certPem, keyPem] = await Promise.all(
      ["ca.pem", "server.pem", "server.key"].map((name) => readFile(file(name), "utf8")),
    );
    return { caPem: caPem ?? "", certPem: certPem ?? "", keyPem: keyPem ?? "" };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
