import { runService } from '@vigil/platform';
import { exampleService } from './example.service';

runService(exampleService);
