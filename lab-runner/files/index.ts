// File and manifest operations on lab targets for the editor (app/api/files, app/api/manifests).
export { LabFiles, MAX_FILE_BYTES, MAX_LIST_ENTRIES } from './lab-files.ts';
export type { FileTarget, SaveRequest } from './lab-files.ts';
export type { DirectoryEntry, DirectoryListing, FileVersion, KubectlRun, ManifestIssue, OpenedFile, SavedFile } from '../wire/files.ts';
export { editPolicy, normalizeLabPath, isSavable, assertSavable, BASE_EDITABLE_TREES } from './edit-policy.ts';
export type { EditPolicy } from './edit-policy.ts';
export { EXPECT_ABSENT, EXPECT_ANY, isExpectedVersion } from './file-version.ts';
export type { ExpectedVersion } from './file-version.ts';
export * from './file-errors.ts';
export { ManifestCommands, NoClusterError, InvalidManifestError, jumpboxOf, FIELD_MANAGER } from './manifest-commands.ts';
export { checkManifest } from './manifest-check.ts';
export { lessonEditFiles } from './lesson-edit-files.ts';
