import { getMetadataStorage, MetadataStorage } from 'class-validator';

type ValidationMetadata = ReturnType<MetadataStorage['getTargetValidationMetadatas']>[number];

let installed = false;

/**
 * class-validator looks a class's rules up again for every object it validates, and that lookup walks every
 * decorated class of the process (`instanceof` on each, for inherited rules): about a third of validating a
 * batch item. The rules only change when decorators run (module load), so the answers are kept per class and
 * options until a rule is added. Callers only read the lists they are given. The scan is a known upstream
 * problem (typestack/class-validator#2686, open): drop this once a release caches the lookup itself.
 */
export const cacheValidationMetadata = (): void => {
  if (installed) return;
  installed = true;
  const storage = getMetadataStorage();
  const lookUp = storage.getTargetValidationMetadatas.bind(storage);
  const group = storage.groupByPropertyName.bind(storage);
  const addValidation = storage.addValidationMetadata.bind(storage);
  const addConstraint = storage.addConstraintMetadata.bind(storage);
  let targets = new Map<unknown, Map<string, ValidationMetadata[]>>();
  let grouped = new WeakMap<ValidationMetadata[], ReturnType<MetadataStorage['groupByPropertyName']>>();
  const forget = () => {
    targets = new Map();
    grouped = new WeakMap();
  };
  storage.addValidationMetadata = (metadata) => {
    forget();
    addValidation(metadata);
  };
  storage.addConstraintMetadata = (metadata) => {
    forget();
    addConstraint(metadata);
  };
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    const key = `${String(schema)}\n${String(always)}\n${String(strictGroups)}\n${groups === undefined ? '' : JSON.stringify(groups)}`;
    let byOptions = targets.get(target);
    if (!byOptions) targets.set(target, (byOptions = new Map()));
    let found = byOptions.get(key);
    if (!found) byOptions.set(key, (found = lookUp(target, schema, always, strictGroups, groups)));
    return found;
  };
  storage.groupByPropertyName = (metadata) => {
    let found = grouped.get(metadata);
    if (!found) grouped.set(metadata, (found = group(metadata)));
    return found;
  };
};
