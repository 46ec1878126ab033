import { bootstrapApplication } from '@angular/platform-browser';
import { ContactComponent } from './contact.component';

bootstrapApplication(ContactComponent).catch((err) => console.error(err));
