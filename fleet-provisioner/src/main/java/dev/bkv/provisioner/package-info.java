/**
 * What fleet-provisioner's packages share: the module's one checked exception root,
 * {@link dev.bkv.provisioner.ProvisionerException}.
 */
package dev.bkv.provisioner;
