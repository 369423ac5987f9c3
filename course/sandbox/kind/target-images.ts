// Defaults a kind template's targets fall back on: part of what a sandbox.yaml means (the schema's defaults, the images
// a template needs), so they live with the model; the engine (lab-runner/kind/) starts containers from them.
export const JUMPBOX_IMAGE = 'packetwalk/jumpbox:latest';
/** The jumpbox image's learner, who owns ~/.kube: terminals and checks on a jumpbox run as this user. */
export const JUMPBOX_USER = 'learner';
/** Toolbox targets run the bare-node lessons' image, so a by-hand lesson behaves the same on kind workers. */
export const TOOLBOX_IMAGE = 'packetwalk/node:latest';
