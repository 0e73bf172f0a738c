/**
 * Kubernetes protobuf request bodies: kubectl's typed clientset sends objects as
 * `application/vnd.kubernetes.protobuf`; this decodes them to their JSON form. Responses stay JSON.
 */
export { decodeProtobufMessage, decodeProtobufObject, protobufKinds, protobufMediaType } from './decode.js';
