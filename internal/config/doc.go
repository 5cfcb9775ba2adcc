// Package config reads bomrank's configuration file: a YAML file found
// by --config, then $BOMRANK_CONFIG, then bomrank/config.yaml under the
// user configuration directory. Without one, every setting has its
// default.
//
// The file's shape is a contract (issue 16 fixed it; fields are added,
// never renamed or removed):
//
//	db: /var/lib/bomrank/db            # default: bomrank/db under the user cache directory
//	trust_vex: ["St. Example Hospital Security"]   # VEX authors trusted for every device
//	mds2: [forms/]                     # MDS2 forms (files, folders) for every scan, as --mds2; relative to this file
//	sources:
//	  osv:  {enabled: true, url: https://osv-vulnerabilities.storage.googleapis.com, ecosystems: [PyPI, npm]}
//	  nvd:  {enabled: true, url: https://nvd.nist.gov/feeds/json/cve/2.0, first_year: 2002}
//	  kev:  {enabled: true, url: https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json}
//	  epss: {enabled: true, url: https://epss.empiricalsecurity.com/epss_scores-current.csv.gz}
//	  csaf:
//	    trusted_only: false
//	    providers:
//	      - url: https://www.cisa.gov/sites/default/files/csaf/provider-metadata.json
//	        fingerprint: ""            # optional pin of the signing key
//	      - domain: example-medical.com
//
// Unknown keys are errors (a misspelt trust_vex must not silently trust
// nobody), and so are URLs other than http and https. The sources are
// read and checked here; fetching them is the work of `bomrank db
// update`.
package config
