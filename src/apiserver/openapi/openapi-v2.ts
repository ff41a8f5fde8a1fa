export interface OpenAPIV2Response {
  readonly contentType: 'application/octet-stream';
  readonly body: Uint8Array;
}

/**
 * `GET /openapi/v2`. kubectl 1.27/1.28 fetch it before apply, edit and explain, always decode it as protobuf
 * and fail on a 404 or a JSON body; a zero-length body is a valid empty protobuf Document, which makes them
 * skip client-side schema validation and choose merge patch for custom resources, so no v2 is served.
 */
export function openAPIV2(): OpenAPIV2Response {
  return { contentType: 'application/octet-stream', body: new Uint8Array(0) };
}
