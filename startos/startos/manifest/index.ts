import { setupManifest } from '@start9labs/start-sdk'
import { description } from './description'

/**
 * The package's identity. The id is the earlier (Python) package's, so installing this one is an
 * update of it and keeps the `main` volume. The Makefile reads the id from the line below, so no
 * other line of this file may contain the text "id" followed by a colon.
 */
export const manifest = setupManifest({
  id: 'spark-control',
  title: 'Spark Control',
  license: 'MIT',
  // No public home yet: filled in when the project is published.
  packageRepo: '',
  upstreamRepo: '',
  marketingUrl: '',
  donationUrl: null,
  description,
  volumes: ['main'],
  images: {
    // Built from the repository's Dockerfile (the StartOS project is the repository's startos/).
    'spark-control': {
      source: { dockerBuild: { workdir: '..', dockerfile: '../Dockerfile' } },
      arch: ['x86_64', 'aarch64'],
    },
  },
  dependencies: {},
})
