/**
 * `Intl.ListFormat` as the bundles have it (the Makefile's esbuild `--inject` and `--define`): made
 * on first use. @sindresorhus/is, which got checks its options with, makes two at module load for
 * the messages of failed checks, and making one loads ICU's locale data: about 30 ms of CPU and
 * 3.5 MB of RSS in every process that loads got.
 */
export class LazyListFormat {
  private made: Intl.ListFormat | undefined;

  constructor(
    private readonly locales?: string | string[],
    private readonly options?: Intl.ListFormatOptions,
  ) {}

  format(list: Iterable<string>): string {
    // Not `new Intl.ListFormat`: the bundles' --define would turn that into this class again.
    const { ListFormat } = Intl;
    this.made ??= new ListFormat(this.locales, this.options);
    return this.made.format(list);
  }
}
