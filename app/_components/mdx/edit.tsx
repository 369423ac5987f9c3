// <Edit target="node1" file="/etc/resolv.conf">optional label</Edit> — opens a file of the learner's lab in the
// lab pane's editor (starting the lab first if needed). The file also becomes savable from the editor in this
// lesson (lab-runner/files/lesson-edit-files.ts reads these tags). A button inside phrasing content: valid inline.
import type { MdxProps } from '../../../course/content/mdx-component-props.ts';
import { EditAction } from '../editor/manifest-actions.tsx';
import { textOf } from '../editor/react-text.ts';

export function Edit({ target, file, children }: MdxProps<'Edit'>) {
  const label = textOf(children).trim();
  return <EditAction target={target} file={file} label={label || undefined} />;
}
