/**
 * The audio the transcription check sends: the `--audio` file, or else the repository's built-in
 * sample — the two-speaker dialogue the speech tests use, spoken by espeak-ng and cached in the
 * temp folder (tests/fixtures/audio). It needs espeak-ng and sox, which `scripts/setup.sh`
 * installs; without them the check says to pass `--audio`.
 */
import { CheckFailed } from './check.ts'

export function audioSource(file: string | undefined): () => Promise<string> {
  if (file) return async () => file
  let built: Promise<string> | undefined
  return () => {
    built ??= import('../../tests/fixtures/audio/fixtures.ts')
      .then((fixtures) => fixtures.dialogue())
      .then((fixture) => fixture.path)
      .catch((err: Error) => {
        throw new CheckFailed(
          `no --audio given, and the built-in speech sample could not be made (${err.message.split('\n')[0]}); pass --audio <file>`,
        )
      })
    return built
  }
}
