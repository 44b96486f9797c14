import { randomUUID } from "node:crypto";
import type { IncomingHttpHeaders, ServerResponse } from "node:http";
import { invalidArgument } from "./errors";

const MAX_UPLOAD_BYTES = 104_857_600; // v1's documented limit; v2 keeps it for uploaded sources

export interface UploadEntry {
  bucket: string;
  object: string;
  contentType: string | null;
  /** Whether the PUT carried an Authorization header (the signed URL needs none). */
  authorization: boolean;
  bytes: number;
  status: number;
}

/** Signed-URL uploads, as Cloud Storage takes them: PUT with the signed content type, no credentials. */
export class UploadStore {
  readonly log: UploadEntry[] = [];
  private readonly objects = new Map<string, Buffer>();
  private readonly issued = new Set<string>();

  constructor(
    private readonly base: () => string,
    private readonly bucket: string,
  ) {}

  /** GenerateUploadUrlResponse: the URL to PUT to and the StorageSource that names the object. */
  generate(): { uploadUrl: string; storageSource: { bucket: string; object: string } } {
    const object = `${randomUUID()}.zip`;
    this.issued.add(`${this.bucket}/${object}`);
    const expires = Math.floor(Date.now() / 1000) + 1800;
    const uploadUrl =
      `${this.base()}/_upload/${this.bucket}/${object}` +
      `?GoogleAccessId=service-fake%40gcf-admin-robot.iam.gserviceaccount.com&Expires=${expires}&Signature=fake`;
    return { uploadUrl, storageSource: { bucket: this.bucket, object } };
  }

  /** Handles `PUT /_upload/<bucket>/<object>`; replies as Cloud Storage does (XML errors). */
  put(path: string, headers: IncomingHttpHeaders, body: Buffer, res: ServerResponse): void {
    const key = decodeURIComponent(path.slice("/_upload/".length));
    const [bucket, object] = [key.slice(0, key.indexOf("/")), key.slice(key.indexOf("/") + 1)];
    const contentType = headers["content-type"] ?? null;
    const entry: UploadEntry = {
      bucket,
      object,
      contentType,
      authorization: !!headers.authorization,
      bytes: body.length,
      status: 200,
    };
    this.log.push(entry);
    const fail = (status: number, code: string, message: string) => {
      entry.status = status;
      const xml = `<?xml version='1.0' encoding='UTF-8'?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;
      res.writeHead(status, { "Content-Type": "application/xml; charset=UTF-8" }).end(xml);
    };
    if (!this.issued.has(key)) return fail(403, "AccessDenied", "Access denied.");
    // The URL is signed for content-type application/zip: anything else breaks the signature.
    if (contentType !== "application/zip") {
      return fail(
        403,
        "SignatureDoesNotMatch",
        "The request signature we calculated does not match the signature you provided. Check your Google secret key and signing method.",
      );
    }
    if (body.length > MAX_UPLOAD_BYTES)
      return fail(
        400,
        "EntityTooLarge",
        "Your proposed upload is larger than the maximum object size specified in your Policy Document.",
      );
    this.objects.set(key, body);
    res.writeHead(200, { "Content-Length": 0 }).end();
  }

  /** The uploaded bytes a StorageSource names; INVALID_ARGUMENT when nothing was uploaded there. */
  read(storageSource: { bucket?: unknown; object?: unknown }): Buffer {
    const key = `${String(storageSource.bucket)}/${String(storageSource.object)}`;
    const bytes = this.objects.get(key);
    if (!bytes)
      throw invalidArgument(
        `Storage source gs://${key} does not exist: upload the archive to the uploadUrl before deploying.`,
      );
    return bytes;
  }
}
