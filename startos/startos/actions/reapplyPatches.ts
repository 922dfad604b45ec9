import { sdk } from '../sdk'
import {
  APPLY_TIMEOUT_MS,
  callPatchApply,
  PATCH_IDS,
  PREVIEW_TIMEOUT_MS,
  patchesShown,
  patchRequestBody,
} from './patches-call.ts'
import { dataDir } from './running'

const { InputSpec, Value } = sdk

export const reapplyPatchesInput = InputSpec.of({
  ids: Value.multiselect({
    name: 'Patches',
    description: 'Which patches; none selected means every patch that is missing.',
    default: [],
    values: Object.fromEntries(PATCH_IDS.map((id) => [id, id])) as Record<(typeof PATCH_IDS)[number], string>,
  }),
  mode: Value.select({
    name: 'Mode',
    description: 'Preview shows the exact commands and changes nothing. Apply runs them.',
    default: 'preview',
    values: { preview: 'Preview (dry run)', apply: 'Apply' },
  }),
  confirm: Value.toggle({
    name: 'I have read the preview',
    description: 'Needed to apply: the commands change containers on the Sparks.',
    default: false,
  }),
})

export const reapplyPatches = sdk.Action.withInput(
  'reapplyPatches',
  {
    name: 'Re-apply container patches',
    description:
      'Checks the versioned patches (memory caps, restart policies) on the Sparks’ service containers and re-applies the missing ones: a preview of the exact commands first, then an explicit confirmation.',
    warning: null,
    allowedStatuses: 'only-running',
    group: 'Maintenance',
    visibility: 'enabled',
  },
  reapplyPatchesInput,
  async () => null,
  async ({ input }) => {
    const body = patchRequestBody(input)
    const answer = await callPatchApply({
      dataDir: dataDir(),
      body,
      timeoutMs: body.dry_run ? PREVIEW_TIMEOUT_MS : APPLY_TIMEOUT_MS,
    })
    return patchesShown(answer)
  },
)
