/**
 * Pod volumes. The sources people use with DaemonSets and everyday pods (hostPath, emptyDir,
 * configMap, secret, projected, downwardAPI, persistentVolumeClaim, csi, ephemeral, image, nfs) are
 * described field by field; the legacy in-tree cloud and storage plugins are free-form objects, so
 * a manifest using them is accepted without its insides being checked.
 */
import { LabelSelector, ObjectMeta } from './meta.js';
import {
  LocalObjectReference,
  ObjectFieldSelector,
  ResourceFieldSelector,
  TypedLocalObjectReference,
  TypedObjectReference,
  core,
  resourceList,
} from './core-refs.js';
import { arrayOf, atomic, bool, field, freeForm, int32, int64, mapOf, obj, quantity, str, typedStr } from './dsl.js';

const pullPolicy = typedStr('v1.PullPolicy', ['Always', 'IfNotPresent', 'Never']);

export const KeyToPath = obj(core('KeyToPath'), 'Maps one key of a ConfigMap or Secret to a file path in the volume.', {
  key: field(str, 'The key to project.', { required: true }),
  mode: field(int32, 'Permission bits of the file (0000-0777); defaults to the volume\'s defaultMode.'),
  path: field(str, 'Relative file path to write the key to; may not contain "..".', { required: true }),
});

export const HostPathVolumeSource = obj(core('HostPathVolumeSource'), 'A file or directory of the node, mounted into the pod.', {
  path: field(str, 'Path on the node; a symlink is followed to its target.', { required: true }),
  type: field(
    typedStr('v1.HostPathType', ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket']),
    'What must exist at the path, or be created; empty means no check.',
  ),
});

export const EmptyDirVolumeSource = obj(core('EmptyDirVolumeSource'), 'A scratch directory that lives as long as the pod.', {
  medium: field(typedStr('v1.StorageMedium'), 'Backing storage: empty for the node\'s default disk, "Memory" for tmpfs.'),
  sizeLimit: field(quantity, 'Most space the directory may use; unlimited when unset.'),
});

export const ConfigMapVolumeSource = obj(core('ConfigMapVolumeSource'), 'Writes the keys of a ConfigMap as files.', {
  defaultMode: field(int32, 'Permission bits for the files (0000-0777); defaults to 0644.'),
  items: field(arrayOf(KeyToPath), 'Which keys to write and where; all keys, each under its own name, when empty.', atomic),
  name: field(str, 'Name of the ConfigMap.'),
  optional: field(bool, 'When true, a missing ConfigMap or key is not an error.'),
});

export const SecretVolumeSource = obj(core('SecretVolumeSource'), 'Writes the keys of a Secret as files.', {
  defaultMode: field(int32, 'Permission bits for the files (0000-0777); defaults to 0644.'),
  items: field(arrayOf(KeyToPath), 'Which keys to write and where; all keys, each under its own name, when empty.', atomic),
  optional: field(bool, 'When true, a missing Secret or key is not an error.'),
  secretName: field(str, 'Name of the Secret, in the pod\'s namespace.'),
});

export const DownwardAPIVolumeFile = obj(core('DownwardAPIVolumeFile'), 'One file holding a pod field or a container resource value.', {
  fieldRef: field(ObjectFieldSelector, 'Pod field to write; labels, annotations, name, namespace and uid are supported.'),
  mode: field(int32, 'Permission bits of the file (0000-0777).'),
  path: field(str, 'Relative path of the file; may not contain "..".', { required: true }),
  resourceFieldRef: field(ResourceFieldSelector, 'Container resource limit or request to write.'),
});

export const DownwardAPIVolumeSource = obj(core('DownwardAPIVolumeSource'), 'Writes facts about the pod as files.', {
  defaultMode: field(int32, 'Permission bits for the files (0000-0777); defaults to 0644.'),
  items: field(arrayOf(DownwardAPIVolumeFile), 'The files to write.', atomic),
});

export const PersistentVolumeClaimVolumeSource = obj(core('PersistentVolumeClaimVolumeSource'), 'Mounts the volume bound to a PersistentVolumeClaim.', {
  claimName: field(str, 'Name of the claim, in the pod\'s namespace.', { required: true }),
  readOnly: field(bool, 'Mount read-only regardless of the mount\'s own setting.'),
});

export const ConfigMapProjection = obj(core('ConfigMapProjection'), 'ConfigMap keys projected into a combined volume.', {
  items: field(arrayOf(KeyToPath), 'Which keys to write and where; all keys when empty.', atomic),
  name: field(str, 'Name of the ConfigMap.'),
  optional: field(bool, 'When true, a missing ConfigMap or key is not an error.'),
});

export const SecretProjection = obj(core('SecretProjection'), 'Secret keys projected into a combined volume.', {
  items: field(arrayOf(KeyToPath), 'Which keys to write and where; all keys when empty.', atomic),
  name: field(str, 'Name of the Secret.'),
  optional: field(bool, 'When true, a missing Secret or key is not an error.'),
});

export const DownwardAPIProjection = obj(core('DownwardAPIProjection'), 'Pod facts projected into a combined volume.', {
  items: field(arrayOf(DownwardAPIVolumeFile), 'The files to write.', atomic),
});

export const ServiceAccountTokenProjection = obj(core('ServiceAccountTokenProjection'), 'A service account token written to a file and refreshed by the kubelet.', {
  audience: field(str, 'Intended audience of the token; defaults to the API server.'),
  expirationSeconds: field(int64, 'Requested lifetime of the token; at least 600, defaults to one hour.'),
  path: field(str, 'Relative path of the token file.', { required: true }),
});

export const ClusterTrustBundleProjection = obj(core('ClusterTrustBundleProjection'), 'Certificates from ClusterTrustBundle objects written to a file.', {
  labelSelector: field(LabelSelector, 'Selects bundles of the given signer by label.'),
  name: field(str, 'Selects one bundle by name; excludes signerName and labelSelector.'),
  optional: field(bool, 'When true, start the pod even if no bundle matches.'),
  path: field(str, 'Relative path of the file.', { required: true }),
  signerName: field(str, 'Selects bundles issued for this signer.'),
});

export const VolumeProjection = obj(core('VolumeProjection'), 'One source of a projected volume; set exactly one field.', {
  clusterTrustBundle: field(ClusterTrustBundleProjection, 'Trust anchors from ClusterTrustBundles.'),
  configMap: field(ConfigMapProjection, 'Keys of a ConfigMap.'),
  downwardAPI: field(DownwardAPIProjection, 'Facts about the pod.'),
  secret: field(SecretProjection, 'Keys of a Secret.'),
  serviceAccountToken: field(ServiceAccountTokenProjection, 'A service account token.'),
});

export const ProjectedVolumeSource = obj(core('ProjectedVolumeSource'), 'Several sources combined into one directory.', {
  defaultMode: field(int32, 'Permission bits for the files (0000-0777); defaults to 0644.'),
  sources: field(arrayOf(VolumeProjection), 'The sources to combine.', atomic),
});

export const CSIVolumeSource = obj(core('CSIVolumeSource'), 'An inline volume provided by a CSI driver.', {
  driver: field(str, 'Name of the CSI driver.', { required: true }),
  fsType: field(str, 'Filesystem type to mount, such as "ext4"; left to the driver when empty.'),
  nodePublishSecretRef: field(LocalObjectReference, 'Secret with credentials passed to the driver when mounting.'),
  readOnly: field(bool, 'Mount read-only.'),
  volumeAttributes: field(mapOf(str), 'Driver-specific settings.'),
});

export const ImageVolumeSource = obj(core('ImageVolumeSource'), 'Mounts the content of an OCI image or artifact read-only.', {
  pullPolicy: field(pullPolicy, 'When to pull the image: Always, Never or IfNotPresent.'),
  reference: field(str, 'Image or artifact reference, as for a container image.'),
});

export const NFSVolumeSource = obj(core('NFSVolumeSource'), 'An NFS export mounted into the pod.', {
  path: field(str, 'Path exported by the server.', { required: true }),
  readOnly: field(bool, 'Mount read-only.'),
  server: field(str, 'Hostname or IP address of the server.', { required: true }),
});

export const VolumeResourceRequirements = obj(core('VolumeResourceRequirements'), 'Storage a claim asks for.', {
  limits: field(resourceList, 'Most of each resource the volume may use.'),
  requests: field(resourceList, 'Least of each resource the volume needs.'),
});

export const PersistentVolumeClaimSpec = obj(core('PersistentVolumeClaimSpec'), 'What storage a claim asks for.', {
  accessModes: field(
    arrayOf(typedStr('v1.PersistentVolumeAccessMode', ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'])),
    'Ways the volume must be mountable.',
    atomic,
  ),
  dataSource: field(TypedLocalObjectReference, 'Existing snapshot or claim to fill the new volume from.'),
  dataSourceRef: field(TypedObjectReference, 'Any populator object to fill the new volume from, possibly in another namespace.'),
  resources: field(VolumeResourceRequirements, 'Minimum size and other resources of the volume.'),
  selector: field(LabelSelector, 'Label query over existing volumes to bind to.'),
  storageClassName: field(str, 'StorageClass to provision from.'),
  volumeAttributesClassName: field(str, 'VolumeAttributesClass to apply to the volume.'),
  volumeMode: field(typedStr('v1.PersistentVolumeMode', ['Block', 'Filesystem']), 'Whether the volume is a filesystem or a raw block device.'),
  volumeName: field(str, 'Binds to this specific PersistentVolume.'),
});

export const PersistentVolumeClaimTemplate = obj(core('PersistentVolumeClaimTemplate'), 'Template of the claim created for an ephemeral volume.', {
  metadata: field(ObjectMeta, 'Labels and annotations copied onto the claim.'),
  spec: field(PersistentVolumeClaimSpec, 'Spec of the claim, copied unchanged.', { required: true }),
});

export const EphemeralVolumeSource = obj(core('EphemeralVolumeSource'), 'A volume from a claim created with the pod and deleted with it.', {
  volumeClaimTemplate: field(PersistentVolumeClaimTemplate, 'Template for the claim.'),
});

/** A legacy in-tree source whose insides are accepted as given. */
const legacy = (type: string, what: string) => freeForm(core(type), `${what}. Accepted as given; its fields are not described by everynode.`);

export const Volume = obj(core('Volume'), 'A named volume that containers of the pod can mount. Set exactly one source.', {
  name: field(str, 'Name of the volume, a DNS label unique within the pod.', { required: true }),
  awsElasticBlockStore: field(legacy('AWSElasticBlockStoreVolumeSource', 'An AWS EBS disk (deprecated)'), 'Deprecated AWS EBS disk.'),
  azureDisk: field(legacy('AzureDiskVolumeSource', 'An Azure data disk (deprecated)'), 'Deprecated Azure data disk.'),
  azureFile: field(legacy('AzureFileVolumeSource', 'An Azure File share (deprecated)'), 'Deprecated Azure File share.'),
  cephfs: field(legacy('CephFSVolumeSource', 'A CephFS mount (deprecated)'), 'Deprecated CephFS mount.'),
  cinder: field(legacy('CinderVolumeSource', 'An OpenStack Cinder volume (deprecated)'), 'Deprecated Cinder volume.'),
  configMap: field(ConfigMapVolumeSource, 'Files from a ConfigMap.'),
  csi: field(CSIVolumeSource, 'Inline volume from a CSI driver.'),
  downwardAPI: field(DownwardAPIVolumeSource, 'Files describing the pod.'),
  emptyDir: field(EmptyDirVolumeSource, 'Scratch space that lives as long as the pod.'),
  ephemeral: field(EphemeralVolumeSource, 'Volume from a claim created and deleted with the pod.'),
  fc: field(legacy('FCVolumeSource', 'A Fibre Channel disk'), 'Fibre Channel disk.'),
  flexVolume: field(legacy('FlexVolumeSource', 'A volume from an exec-based plugin (deprecated)'), 'Deprecated FlexVolume plugin.'),
  flocker: field(legacy('FlockerVolumeSource', 'A Flocker dataset (deprecated)'), 'Deprecated Flocker dataset.'),
  gcePersistentDisk: field(legacy('GCEPersistentDiskVolumeSource', 'A GCE persistent disk (deprecated)'), 'Deprecated GCE persistent disk.'),
  gitRepo: field(legacy('GitRepoVolumeSource', 'A git checkout (deprecated)'), 'Deprecated git checkout; clone in an init container instead.'),
  glusterfs: field(legacy('GlusterfsVolumeSource', 'A GlusterFS mount (removed upstream)'), 'Deprecated GlusterFS mount.'),
  hostPath: field(HostPathVolumeSource, 'File or directory of the node.'),
  image: field(ImageVolumeSource, 'Read-only content of an OCI image.'),
  iscsi: field(legacy('ISCSIVolumeSource', 'An iSCSI disk'), 'iSCSI disk.'),
  nfs: field(NFSVolumeSource, 'NFS export.'),
  persistentVolumeClaim: field(PersistentVolumeClaimVolumeSource, 'Volume bound to a PersistentVolumeClaim.'),
  photonPersistentDisk: field(legacy('PhotonPersistentDiskVolumeSource', 'A Photon Controller disk (deprecated)'), 'Deprecated Photon disk.'),
  portworxVolume: field(legacy('PortworxVolumeSource', 'A Portworx volume (deprecated)'), 'Deprecated Portworx volume.'),
  projected: field(ProjectedVolumeSource, 'Several sources in one directory.'),
  quobyte: field(legacy('QuobyteVolumeSource', 'A Quobyte mount (deprecated)'), 'Deprecated Quobyte mount.'),
  rbd: field(legacy('RBDVolumeSource', 'A Ceph RBD image (deprecated)'), 'Deprecated Ceph RBD image.'),
  scaleIO: field(legacy('ScaleIOVolumeSource', 'A ScaleIO volume (deprecated)'), 'Deprecated ScaleIO volume.'),
  secret: field(SecretVolumeSource, 'Files from a Secret.'),
  storageos: field(legacy('StorageOSVolumeSource', 'A StorageOS volume (deprecated)'), 'Deprecated StorageOS volume.'),
  vsphereVolume: field(legacy('VsphereVirtualDiskVolumeSource', 'A vSphere disk (deprecated)'), 'Deprecated vSphere disk.'),
});
